import type { Connection } from 'mongoose';
import type { Stores } from '../ports';
import { MongoConsentLedger } from './consent-ledger-store';
import { MongoConversationStateStore } from './conversation-state-store';
import { consentLedgerModel } from './models/consent-ledger';
import { dataKeyModel } from './models/data-key';
import { conversationStateModel } from './models/conversation-state';
import { subjectModel } from './models/subject';
import { MongoSubjectStore } from './subject-store';

/** Registers every model on the connection so openDatabase can create their indexes up front. */
export function registerModels(connection: Connection): void {
  subjectModel(connection);
  consentLedgerModel(connection);
  conversationStateModel(connection);
  dataKeyModel(connection);
}

export function createMongoStores(connection: Connection): Stores {
  return {
    subjects: new MongoSubjectStore(connection),
    consentLedger: new MongoConsentLedger(connection),
    conversations: new MongoConversationStateStore(connection),
  };
}

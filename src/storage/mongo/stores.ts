import type { Connection } from 'mongoose';
import type { FieldSealer } from '../../crypto/field-sealer';
import type { Stores } from '../ports';
import { MongoConsentLedger } from './consent-ledger-store';
import { MongoConversationStateStore } from './conversation-state-store';
import { MongoHistoryStore } from './history-store';
import { consentLedgerModel } from './models/consent-ledger';
import { conversationStateModel } from './models/conversation-state';
import { dataKeyModel } from './models/data-key';
import { historyEntryModel } from './models/history-entry';
import { profileModel } from './models/profile';
import { rightsRequestModel } from './models/rights-request';
import { subjectModel } from './models/subject';
import { MongoProfileStore } from './profile-store';
import { MongoRightsRequestLedger } from './rights-request-ledger';
import { MongoSubjectStore } from './subject-store';

/** Registers every model on the connection so openDatabase can create their indexes up front. */
export function registerModels(connection: Connection): void {
  subjectModel(connection);
  consentLedgerModel(connection);
  conversationStateModel(connection);
  dataKeyModel(connection);
  historyEntryModel(connection);
  profileModel(connection);
  rightsRequestModel(connection);
}

/**
 * Personal content goes through `cipher` (EnvelopeCipher in the product, see src/app.ts): the
 * stores never write it in clear.
 */
export function createMongoStores(connection: Connection, cipher: FieldSealer): Stores {
  return {
    subjects: new MongoSubjectStore(connection),
    consentLedger: new MongoConsentLedger(connection),
    conversations: new MongoConversationStateStore(connection),
    history: new MongoHistoryStore(connection, cipher),
    profiles: new MongoProfileStore(connection, cipher),
    rightsRequests: new MongoRightsRequestLedger(connection),
  };
}

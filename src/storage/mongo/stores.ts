import type { Connection } from 'mongoose';
import type { FieldSealer } from '../../crypto/field-sealer';
import type { Stores } from '../ports';
import { MongoBreachRegister } from './breach-register';
import { MongoConsentLedger } from './consent-ledger-store';
import { MongoConversationStateStore } from './conversation-state-store';
import { MongoEncryptedDataIndex } from './encrypted-data-index';
import { MongoHistoryStore } from './history-store';
import { breachModel } from './models/breach';
import { breachNoticeModel } from './models/breach-notice';
import { consentLedgerModel } from './models/consent-ledger';
import { conversationStateModel } from './models/conversation-state';
import { dataKeyModel } from './models/data-key';
import { historyEntryModel } from './models/history-entry';
import { profileModel } from './models/profile';
import { rightsRequestModel } from './models/rights-request';
import { subjectModel } from './models/subject';
import { usageCountModel } from './models/usage-count';
import { MongoPersonalDataEraser } from './personal-data';
import { MongoProfileStore } from './profile-store';
import { MongoRightsRequestLedger } from './rights-request-ledger';
import { MongoSubjectStore } from './subject-store';
import { MongoUsageCounts } from './usage-counts';

/** Registers every model on the connection so openDatabase can create their indexes up front. */
export function registerModels(connection: Connection): void {
  subjectModel(connection);
  consentLedgerModel(connection);
  conversationStateModel(connection);
  dataKeyModel(connection);
  historyEntryModel(connection);
  profileModel(connection);
  rightsRequestModel(connection);
  breachModel(connection);
  breachNoticeModel(connection);
  usageCountModel(connection);
}

/**
 * Personal content goes through `cipher` (EnvelopeCipher in the product, see src/app.ts): the
 * stores never write it in clear. `clock` is the app's: every read hides what expired by it,
 * whether or not the TTL monitor has deleted it yet (STORAGE-CONTRACT X4, B7).
 */
export function createMongoStores(
  connection: Connection,
  cipher: FieldSealer,
  clock: () => Date = () => new Date(),
): Stores {
  return {
    subjects: new MongoSubjectStore(connection, clock),
    consentLedger: new MongoConsentLedger(connection, clock),
    conversations: new MongoConversationStateStore(connection, clock),
    history: new MongoHistoryStore(connection, cipher, clock),
    profiles: new MongoProfileStore(connection, cipher, clock),
    rightsRequests: new MongoRightsRequestLedger(connection, clock),
    personalData: new MongoPersonalDataEraser(connection),
    breaches: new MongoBreachRegister(connection, clock),
    encryptedData: new MongoEncryptedDataIndex(connection),
    usage: new MongoUsageCounts(connection, clock),
  };
}

/** Every collection with a TTL index: what one retention pass by hand deletes from. */
export async function sweepExpiredDocuments(
  connection: Connection,
  now: Date,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of Object.values(connection.models)) {
    if (!model.schema.path('expiresAt')) continue;
    const result = await model.deleteMany({ expiresAt: { $lte: now } }).exec();
    counts[model.collection.collectionName] = result.deletedCount;
  }
  return counts;
}

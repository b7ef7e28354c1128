import type { Connection } from 'mongoose';
import type { PurgeReport, StorageInventory } from '../backend';
import { breachModel } from './models/breach';
import { breachNoticeModel } from './models/breach-notice';
import { consentLedgerModel } from './models/consent-ledger';
import { conversationStateModel } from './models/conversation-state';
import { dataKeyModel } from './models/data-key';
import { historyEntryModel } from './models/history-entry';
import { profileModel } from './models/profile';
import { rightsRequestModel } from './models/rights-request';
import { subjectModel } from './models/subject';

/** Counts per collection, as stored (expired or not), for the purge-all dry run. */
export async function inventoryOf(connection: Connection): Promise<StorageInventory> {
  // The driver's collections: counts need no model, and the filters are plain.
  const collection = (model: { collection: { collectionName: string } }) =>
    connection.collection(model.collection.collectionName);
  const subjects = collection(subjectModel(connection));
  const ledger = collection(consentLedgerModel(connection));
  const requests = collection(rightsRequestModel(connection));
  const breaches = collection(breachModel(connection));
  const notices = collection(breachNoticeModel(connection));
  const [people] = await ledger
    .aggregate<{ n: number }>([
      { $project: { subjectId: 1 } },
      { $unionWith: { coll: subjects.collectionName, pipeline: [{ $project: { subjectId: '$_id' } }] } },
      { $unionWith: { coll: requests.collectionName, pipeline: [{ $project: { subjectId: 1 } }] } },
      { $unionWith: { coll: 'conversation_state', pipeline: [{ $project: { subjectId: 1 } }] } },
      { $unionWith: { coll: 'history', pipeline: [{ $project: { subjectId: 1 } }] } },
      { $unionWith: { coll: 'profiles', pipeline: [{ $project: { subjectId: '$_id' } }] } },
      { $unionWith: { coll: notices.collectionName, pipeline: [{ $project: { subjectId: 1 } }] } },
      { $group: { _id: '$subjectId' } },
      { $count: 'n' },
    ])
    .toArray();
  const latest = await Promise.all(
    [ledger, requests, breaches, notices].map((evidence) =>
      evidence.findOne<{ expiresAt?: Date }>({}, { projection: { expiresAt: 1 }, sort: { expiresAt: -1 } }),
    ),
  );
  const until = latest.flatMap((doc) => (doc?.expiresAt instanceof Date ? [doc.expiresAt.getTime()] : []));
  return {
    subjects: await subjects.countDocuments({}),
    restrictedSubjects: await subjects.countDocuments({ restricted: true }),
    conversations: await collection(conversationStateModel(connection)).countDocuments({}),
    history: await collection(historyEntryModel(connection)).countDocuments({}),
    profiles: await collection(profileModel(connection)).countDocuments({}),
    dataKeys: await collection(dataKeyModel(connection)).countDocuments({}),
    consentLedger: await ledger.countDocuments({}),
    rightsRequests: await requests.countDocuments({}),
    unansweredRequests: await requests.countDocuments({ status: { $in: ['open', 'failed'] } }),
    breaches: await breaches.countDocuments({}),
    breachNotices: await notices.countDocuments({}),
    people: people?.n ?? 0,
    evidenceUntil: until.length > 0 ? new Date(Math.max(...until)) : null,
  };
}

/**
 * purge-all on MongoDB (see StorageBackend.purgePersonalData): the consent state first, so a
 * process still running stores nothing new, then dialog state, history and profiles, then every
 * wrapped data key. No transaction (a standalone server has none): a rerun finishes the rest.
 */
export async function purgePersonalDocuments(connection: Connection): Promise<PurgeReport> {
  const subjects = await subjectModel(connection).deleteMany({}).exec();
  const conversations = await conversationStateModel(connection).deleteMany({}).exec();
  const history = await historyEntryModel(connection).deleteMany({}).exec();
  const profiles = await profileModel(connection).deleteMany({}).exec();
  const dataKeys = await dataKeyModel(connection).deleteMany({}).exec();
  return {
    subjects: subjects.deletedCount,
    conversations: conversations.deletedCount,
    history: history.deletedCount,
    profiles: profiles.deletedCount,
    dataKeys: dataKeys.deletedCount,
  };
}

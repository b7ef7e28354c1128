import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import type { StorageBackend } from '../../src/storage/backend';
import { openMongoBackend } from '../../src/storage/mongo/backend';
import { registerModels } from '../../src/storage/mongo/stores';

/**
 * Retention on MongoDB is the server's job: a TTL index with `expireAfterSeconds: 0` on
 * `expiresAt` in every collection with personal data or evidence (STORAGE-CONTRACT B14: all of
 * them, not three), and the TTL monitor deleting by itself (`npm run test:mongo` runs it every second).
 */
const TTL_COLLECTIONS = [
  'breach_notices',
  'breaches',
  'consent_ledger',
  'conversation_state',
  'history',
  'profiles',
  'rights_requests',
  'subjects',
];

let backend: StorageBackend | undefined;
let raw: mongoose.Connection | undefined;

beforeAll(async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run `npm run test:mongo`');
  const dbName = `test_ttl_${randomBytes(6).toString('hex')}`;
  // Opened as the app opens it, so the indexes looked at are the ones the app creates.
  backend = await openMongoBackend(uri, pino({ level: 'silent' }), { dbName });
  // The driver itself, past the models, to see what the server holds.
  raw = await mongoose.createConnection(uri, { dbName }).asPromise();
});

afterAll(async () => {
  await raw?.dropDatabase();
  await raw?.close();
  await backend?.close();
});

function db(): mongoose.mongo.Db {
  if (!raw?.db) throw new Error('no database connection');
  return raw.db;
}

describe('TTL indexes on MongoDB', () => {
  it('lists every model with an expiresAt field, and only those, as a TTL collection', () => {
    // A connection that never connects: only the schemas are looked at.
    const schemas = mongoose.createConnection();
    registerModels(schemas);
    const models = Object.values(schemas.models);
    const withExpiry = models.filter((model) => model.schema.path('expiresAt'));
    expect(withExpiry.map((model) => model.collection.collectionName).sort()).toEqual(TTL_COLLECTIONS);
    expect(
      models.filter((model) => !withExpiry.includes(model)).map((model) => model.collection.collectionName),
    ).toEqual(['data_keys']);
    return schemas.close();
  });

  it.each(TTL_COLLECTIONS)(
    '%s has a TTL index on expiresAt with expireAfterSeconds 0',
    async (collection) => {
      const indexes = await db().collection(collection).indexes();
      expect(indexes).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 })]),
      );
    },
  );

  it('gives the data keys no expiry: a key goes only by crypto-shredding', async () => {
    const indexes = await db().collection('data_keys').indexes();
    expect(indexes.filter((index) => index.expireAfterSeconds !== undefined)).toEqual([]);
  });

  it('lets the TTL monitor delete expired documents by itself, keeping live and paused ones', async () => {
    const now = Date.now();
    for (const collection of TTL_COLLECTIONS) {
      // Straight to the driver: only expiresAt matters to the TTL monitor.
      await db()
        .collection<{ _id: string; expiresAt: Date | null }>(collection)
        .insertMany([
          { _id: 'expired', expiresAt: new Date(now - 1000) },
          { _id: 'alive', expiresAt: new Date(now + 3_600_000) },
          // A restriction pauses the clock with a null expiresAt, which the monitor skips.
          { _id: 'paused', expiresAt: null },
        ]);
    }
    const left = async () => {
      const found: string[] = [];
      for (const collection of TTL_COLLECTIONS) {
        const ids = await db()
          .collection<{ _id: string }>(collection)
          .find({}, { projection: { _id: 1 } })
          .toArray();
        found.push(...ids.map((doc) => `${collection}/${doc._id}`));
      }
      return found.sort();
    };
    const expected = TTL_COLLECTIONS.flatMap((collection) => [
      `${collection}/alive`,
      `${collection}/paused`,
    ]).sort();
    // The monitor runs every second here (ttlMonitorSleepSecs=1); give it a few passes.
    const deadline = Date.now() + 20_000;
    while ((await left()).length > expected.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await left()).toEqual(expected);
  });
});

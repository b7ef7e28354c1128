import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import type { StorageBackend } from '../../src/storage/backend';
import { openMongoBackend } from '../../src/storage/mongo/backend';
import { sampleRecord } from '../integration/kms/data-key-store-contract';

/**
 * What the data key store's behaviour (the storage contract, K1-K4) rests on in MongoDB itself:
 * the server enforces one key per subject, and a key is stored as binary next to ids only.
 */
let backend: StorageBackend | undefined;
let raw: mongoose.Connection | undefined;

beforeAll(async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run `npm run test:mongo`');
  const dbName = `test_keys_${randomBytes(6).toString('hex')}`;
  // Opened as the app opens it, so the unique index is the one the app creates.
  backend = await openMongoBackend(uri, pino({ level: 'silent' }), { dbName });
  raw = await mongoose.createConnection(uri, { dbName }).asPromise();
});

afterAll(async () => {
  await raw?.dropDatabase();
  await raw?.close();
  await backend?.close();
});

function dataKeys(): mongoose.mongo.Collection {
  if (!raw?.db) throw new Error('no database connection');
  return raw.db.collection('data_keys');
}

beforeEach(async () => {
  await dataKeys().deleteMany({});
});

describe('data_keys collection on MongoDB', () => {
  it('has a unique index on subjectId that MongoDB itself enforces', async () => {
    const indexes = await dataKeys().indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: { subjectId: 1 }, unique: true })]),
    );

    // Straight to the driver, past the store's race handling: the server must refuse the duplicate.
    await dataKeys().insertOne({ ...sampleRecord('s-unique') });
    await expect(dataKeys().insertOne({ ...sampleRecord('s-unique') })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await dataKeys().countDocuments({ subjectId: 's-unique' })).toBe(1);
  });

  it('stores the wrapped key as binary next to ids only, with no expiry', async () => {
    const record = sampleRecord('s-shape');
    await backend!.dataKeys.insert(record);
    const stored = await dataKeys().findOne({ subjectId: 's-shape' });
    expect(Object.keys(stored!).sort()).toEqual(
      ['_id', 'createdAt', 'keyVersion', 'provider', 'providerKeyId', 'subjectId', 'wrapped'].sort(),
    );
    expect(stored!.wrapped).toBeInstanceOf(mongoose.mongo.Binary);
    expect(Buffer.from((stored!.wrapped as mongoose.mongo.Binary).value()).equals(record.wrapped)).toBe(true);
  });
});

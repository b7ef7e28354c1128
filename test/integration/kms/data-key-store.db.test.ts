import mongoose from 'mongoose';
import { MongoDataKeyStore } from '../../../src/storage/mongo/data-key-store';
import { dataKeyModel } from '../../../src/storage/mongo/models/data-key';
import type { Database } from '../../../src/storage/mongo/connection';
import { describeDataKeyStoreContract, sampleRecord } from './data-key-store-contract';
import { openKeyTestDatabase } from './key-test-database';

let db: Database;
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ db, drop } = await openKeyTestDatabase());
});
afterAll(async () => {
  await drop?.(); // undefined when the database never opened
});

describeDataKeyStoreContract('MongoDataKeyStore', async () => {
  await dataKeyModel(db.connection).deleteMany({});
  return new MongoDataKeyStore(db.connection);
});

describe('data_keys collection', () => {
  beforeEach(async () => {
    await dataKeyModel(db.connection).deleteMany({});
  });

  it('has a unique index on subjectId that MongoDB itself enforces', async () => {
    const model = dataKeyModel(db.connection);
    expect(model.collection.collectionName).toBe('data_keys');
    const indexes = await model.collection.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: { subjectId: 1 }, unique: true })]),
    );

    // Straight to the driver, past the store's race handling: the server must refuse the duplicate.
    await model.collection.insertOne({ ...sampleRecord('s-unique') });
    await expect(model.collection.insertOne({ ...sampleRecord('s-unique') })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await model.countDocuments({ subjectId: 's-unique' })).toBe(1);
  });

  it('stores the wrapped key as binary next to ids only, with no expiry', async () => {
    const store = new MongoDataKeyStore(db.connection);
    const record = sampleRecord('s-shape');
    await store.insert(record);
    const raw = await dataKeyModel(db.connection).collection.findOne({ subjectId: 's-shape' });
    expect(Object.keys(raw!).sort()).toEqual(
      ['_id', 'createdAt', 'keyVersion', 'provider', 'providerKeyId', 'subjectId', 'wrapped'].sort(),
    );
    expect(raw!.wrapped).toBeInstanceOf(mongoose.mongo.Binary);
    expect(Buffer.from((raw!.wrapped as mongoose.mongo.Binary).value()).equals(record.wrapped)).toBe(true);
  });

  it('reports an unreachable database as STORAGE_UNAVAILABLE, never as "no key"', async () => {
    const { db: other, drop: dropOther } = await openKeyTestDatabase();
    const store = new MongoDataKeyStore(other.connection);
    await dropOther();
    await expect(store.find('s1')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(store.delete('s1')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    const iterate = async () => {
      for await (const _record of store.iterate(10)) void _record;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });
});

import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import { toBuffer } from '../../src/crypto/bytes';
import { openMongoBackend } from '../../src/storage/mongo/backend';
import { type ContractHarness, type StoredDump, bytesText, valueText } from './harness';
import { describeStorageContract } from './storage-contract';

/**
 * The storage contract on MongoDB (`npm run test:mongo`, MONGODB_URI set): a database of its own
 * per test, dropped afterwards. A second plain connection reads every document for dump().
 */
const logger = pino({ level: 'silent' });
const uri = process.env.MONGODB_URI;

if (uri) {
  describeStorageContract('mongodb', () => mongoHarness(uri));
} else {
  it('needs MONGODB_URI (run it with `npm run test:mongo`)', () => {
    throw new Error('MONGODB_URI is not set: the MongoDB storage contract needs a real mongod');
  });
}

async function mongoHarness(baseUri: string): Promise<ContractHarness> {
  const dbName = `contract_${randomBytes(6).toString('hex')}`;
  const backend = await openMongoBackend(baseUri, logger, { dbName });
  let raw: mongoose.Connection;
  try {
    raw = await mongoose.createConnection(baseUri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  } catch (error) {
    await backend.close();
    throw error;
  }
  const db = () => {
    if (!raw.db) throw new Error('the raw connection has no database');
    return raw.db;
  };
  let closed = false;
  return {
    dataKeys: backend.dataKeys,
    createStores: (sealer, clock) => backend.createStores(sealer, clock),
    sweep: (now, batchSize) => backend.sweepExpired(now, batchSize),
    inventory: () => backend.inventory(),
    purgePersonalData: () => backend.purgePersonalData(),
    dump: async (): Promise<StoredDump> => {
      const rows: { table: string; text: string }[] = [];
      for (const { name } of await db().listCollections({}, { nameOnly: true }).toArray()) {
        for (const doc of await db().collection(name).find({}).toArray())
          rows.push({ table: name, text: flatten(doc).join('\n') });
      }
      return { rows, files: '' };
    },
    retireLedgerValues: async (noticeHash, purpose, locale) => {
      const result = await db()
        .collection('consent_ledger')
        .updateMany({ noticeHash }, { $set: { purpose, locale } });
      if (result.matchedCount === 0) throw new Error(`no ledger entry with notice hash ${noticeHash}`);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await backend.close();
      } finally {
        await db().dropDatabase();
        await raw.close();
      }
    },
  };
}

/** Every leaf value of a document as text; BSON binaries and ids read as bytes and hex. */
function flatten(value: unknown): string[] {
  if (value instanceof mongoose.mongo.Binary) return [bytesText(toBuffer(value))];
  if (value instanceof mongoose.mongo.ObjectId) return [value.toHexString()];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value))
    return Object.values(value as Record<string, unknown>).flatMap(flatten);
  return [valueText(value)];
}

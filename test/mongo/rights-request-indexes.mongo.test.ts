import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import type { FieldSealer } from '../../src/crypto/field-sealer';
import type { StorageBackend } from '../../src/storage/backend';
import { openMongoBackend } from '../../src/storage/mongo/backend';
import type { RightsRequestLedger } from '../../src/storage/ports';

/**
 * STORAGE-CONTRACT R4/B13 on MongoDB: the rights-request lists are served by indexes, the
 * operator's overdue list by a partial index over unfinished requests only. The plans are read
 * from the server's profiler, so these are the queries the store really sends.
 */
const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2040-01-01T00:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** Rights requests hold no personal content: nothing here is ever sealed. */
const noSealer: FieldSealer = {
  seal: () => Promise.reject(new Error('the rights-request ledger never seals')),
  openText: () => Promise.reject(new Error('the rights-request ledger never opens')),
};

let backend: StorageBackend | undefined;
let raw: mongoose.Connection | undefined;
let ledger: RightsRequestLedger;

beforeAll(async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run `npm run test:mongo`');
  const dbName = `test_requests_${randomBytes(6).toString('hex')}`;
  backend = await openMongoBackend(uri, pino({ level: 'silent' }), { dbName });
  raw = await mongoose.createConnection(uri, { dbName }).asPromise();
  ledger = backend.createStores(noSealer, () => T0).rightsRequests;
});

afterAll(async () => {
  await raw?.db?.command({ profile: 0 });
  await raw?.dropDatabase();
  await raw?.close();
  await backend?.close();
});

function db(): mongoose.mongo.Db {
  if (!raw?.db) throw new Error('no database connection');
  return raw.db;
}

describe('rights_requests indexes on MongoDB', () => {
  it('indexes unfinished requests only for the overdue list', async () => {
    const indexes = await db().collection('rights_requests').indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: { receivedAt: 1, _id: 1, dueAt: 1 },
          partialFilterExpression: { status: { $in: ['open', 'failed'] } },
        }),
      ]),
    );
  });

  it('plans every list the ledger makes as an index scan, never a collection scan', async () => {
    for (let index = 0; index < 30; index++) {
      const request = await ledger.open(
        {
          subjectId: `subject-${index % 6}`,
          type: 'erasure',
          origin: 'console',
          receivedAt: at(index / 10),
          dueAt: at(index / 10 + 30),
        },
        at(730),
      );
      if (index % 3 === 0) await ledger.finish(request.id, 'completed', 'done', at(1));
      if (index % 3 === 1) await ledger.finish(request.id, 'failed', 'KMS_UNAVAILABLE', at(1));
    }

    await db().command({ profile: 2 });
    expect(await ledger.list({ overdueAt: at(40), limit: 5 })).toHaveLength(5);
    expect(await ledger.list({ subjectId: 'subject-1' })).toHaveLength(5);
    expect(await ledger.list({ limit: 3 })).toHaveLength(3);
    await db().command({ profile: 0 });

    const finds = await db()
      .collection<{ planSummary?: string }>('system.profile')
      .find({ 'command.find': 'rights_requests' })
      .toArray();
    const plans = finds.map((entry) => entry.planSummary ?? '');
    expect(plans).toHaveLength(3);
    for (const plan of plans) {
      expect(plan).toContain('IXSCAN');
      expect(plan).not.toContain('COLLSCAN');
    }
  });
});

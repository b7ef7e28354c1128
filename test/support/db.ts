import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import pino from 'pino';
import { openDatabase, type Database } from '../../src/storage/mongo/connection';
import { registerModels } from '../../src/storage/mongo/stores';

/**
 * A fresh database on the run's real mongod (test/support/run-tests.ts provides MONGODB_URI),
 * dropped afterwards. Only *.db.test.ts files use it.
 */
export async function openTestDatabase(): Promise<
  Database & { connection: Connection; drop(): Promise<void> }
> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the suite with `npm test`');
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase(uri, pino({ level: 'silent' }), registerModels, { dbName });
  return {
    ...db,
    drop: async () => {
      await db.connection.dropDatabase();
      await db.close();
    },
  };
}

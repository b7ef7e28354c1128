import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { type Database, openDatabase } from '../../../src/storage/mongo/connection';
import { dataKeyModel } from '../../../src/storage/mongo/models/data-key';

/**
 * A fresh database on the run's real mongod (MONGODB_URI, provided by `npm test` / CI), with the
 * data key model registered and its unique index created the way the app does it (openDatabase).
 * Only *.db.test.ts files use this.
 */
export async function openKeyTestDatabase(): Promise<{
  db: Database;
  uri: string;
  drop: () => Promise<void>;
}> {
  const baseUri = process.env.MONGODB_URI;
  if (!baseUri)
    throw new Error('MONGODB_URI is not set: *.db.test.ts suites need a real mongod (`npm test`)');
  const uri = withDatabaseName(baseUri, `test_keys_${randomBytes(6).toString('hex')}`);
  const db = await openDatabase(
    uri,
    pino({ level: 'silent' }),
    (connection) => void dataKeyModel(connection),
  );
  return {
    db,
    uri,
    drop: async () => {
      await db.connection.dropDatabase();
      await db.close();
    },
  };
}

/** Point a mongodb:// URI (hosts, credentials and options kept) at another database. */
export function withDatabaseName(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('MONGODB_URI is not a mongodb:// URI');
  return `${match[1]}/${name}${match[2] ?? ''}`;
}

/**
 * MongoDB for the benchmarks, the way `npm test` gets it (src/storage/mongo/provision.ts):
 * MONGODB_URI when set, else a mongod from MONGOD_BIN, PATH, the cache or NuGet, else
 * mongodb-memory-server's download. Every measurement gets a fresh database of its own, dropped
 * at the end, so one variant's data never slows another down.
 */
import { randomBytes } from 'node:crypto';
import { errorCode } from '../../src/core/errors';
import type { Logger } from '../../src/logging/logger';
import { type Database, openDatabase } from '../../src/storage/mongo/connection';
import { type ProvisionedMongo, provisionMongo } from '../../src/storage/mongo/provision';
import { registerModels } from '../../src/storage/mongo/stores';

/**
 * No database to measure on. The message continues the command's name ("npm run bench needs
 * MongoDB ..."): main() prints `${command} ${message}` and exits 1.
 */
export class NoMongoError extends Error {}

/** `hint` says what can still run without a database. */
export async function provisionBenchMongo(logger: Logger, hint = ''): Promise<ProvisionedMongo> {
  try {
    return await provisionMongo({ uri: process.env.MONGODB_URI, mongodBin: process.env.MONGOD_BIN, logger });
  } catch (error) {
    throw new NoMongoError(
      `needs MongoDB and none could be provisioned.\n` +
        `Set MONGODB_URI (a running server) or MONGOD_BIN (a mongod binary), or put mongod on PATH.\n` +
        hint +
        `${(error as Error).message}`,
    );
  }
}

/** A database no one else uses, with every index created; drop() removes it and closes the connection. */
export interface FreshDatabase extends Database {
  drop(): Promise<void>;
}

export async function openFreshDatabase(
  mongo: ProvisionedMongo,
  prefix: string,
  logger: Logger,
): Promise<FreshDatabase> {
  let db: Database;
  try {
    db = await openDatabase(mongo.uri, logger, registerModels, {
      dbName: `${prefix}_${randomBytes(6).toString('hex')}`,
    });
  } catch (error) {
    throw new NoMongoError(
      `could not open MongoDB at ${mongo.source} (${errorCode(error)}). Is the server running?`,
    );
  }
  return {
    ...db,
    drop: async () => {
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}

/** The server's own version string (`db.admin().serverInfo()`), for the machine line of the report. */
export async function mongodVersion(db: Database): Promise<string> {
  const admin = db.connection.db?.admin();
  if (!admin) return 'unknown';
  const info = await admin.serverInfo();
  return typeof info.version === 'string' ? info.version : 'unknown';
}

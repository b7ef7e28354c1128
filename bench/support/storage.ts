/**
 * Storage for the benchmarks, as the bot gets it: the SQLite files by default (each measurement
 * in a temporary directory of its own, removed at the end), so `npm run bench` needs no server.
 * MongoDB only for the extra `fullMongo` variant, when MONGODB_URI is set: a fresh database per
 * measurement, dropped at the end. No measurement ever shares data with another.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { errorCode } from '../../src/core/errors';
import type { Logger } from '../../src/logging/logger';
import type { StorageBackend } from '../../src/storage/backend';
import { openMongoBackend } from '../../src/storage/mongo/backend';
import { openSqliteBackend } from '../../src/storage/sqlite/backend';

export interface BenchStorage {
  readonly backend: StorageBackend;
  /** What the figures were measured on, for the report: engine, version, where. */
  readonly description: string;
  /** Close the backend and remove everything it stored. */
  dispose(): Promise<void>;
}

/** Linux's statfs magic number for tmpfs: files that live in memory, not on a disk. */
const TMPFS_MAGIC = 0x01021994;

/** The default backend: a data file and a key file in a new temporary directory. */
export async function openBenchSqlite(prefix: string, logger: Logger): Promise<BenchStorage> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const backend = openSqliteBackend({
      path: path.join(dir, 'bot.sqlite'),
      keysPath: path.join(dir, 'bot.keys.sqlite'),
      logger,
    });
    const version = backend.db.prepare('SELECT sqlite_version()').pluck().get() as string;
    // A tmpfs would flatter every figure next to the disk the bot's DATA_DIR is on: say so.
    const inMemory = statfsSync(dir).type === TMPFS_MAGIC ? ', a tmpfs: in memory, not on a disk' : '';
    return {
      backend,
      description: `SQLite ${version}, files in ${os.tmpdir()}${inMemory}`,
      dispose: async () => {
        await backend.close().catch(() => undefined);
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** MONGODB_URI set, but the server could not be used: the message says what to do. */
export class BenchMongoError extends Error {}

/** A database of its own on the MongoDB at `uri`, with every index created. */
export async function openBenchMongo(uri: string, prefix: string, logger: Logger): Promise<BenchStorage> {
  const dbName = `${prefix}_${randomBytes(6).toString('hex')}`;
  let backend: StorageBackend | undefined;
  // A connection of the benchmark's own, for what the product has no port for: the server's
  // version for the report, and dropping the database afterwards.
  let admin: mongoose.Connection | undefined;
  try {
    backend = await openMongoBackend(uri, logger, { dbName });
    admin = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  } catch (error) {
    await backend?.close().catch(() => undefined);
    await admin?.close().catch(() => undefined);
    throw new BenchMongoError(
      `MONGODB_URI is set, but MongoDB could not be used (${errorCode(error)}). ` +
        'Start the server, or unset MONGODB_URI to measure on SQLite only.',
    );
  }
  const opened = { backend, admin };
  const info = await opened.admin.db?.admin().serverInfo();
  const version = typeof info?.version === 'string' ? info.version : 'unknown version';
  return {
    backend: opened.backend,
    description: `MongoDB ${version} (MONGODB_URI)`,
    dispose: async () => {
      await opened.backend.close().catch(() => undefined);
      await opened.admin.dropDatabase().catch(() => undefined);
      await opened.admin.close().catch(() => undefined);
    },
  };
}

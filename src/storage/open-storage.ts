import type { AppConfig } from '../config/config';
import { StorageUnavailableError } from '../core/errors';
import type { Logger } from '../logging/logger';
import type { StorageBackend } from './backend';
import { openMongoBackend } from './mongo/backend';
import { openSqliteBackend } from './sqlite/backend';

/**
 * The one place that chooses the storage backend: MongoDB when MONGODB_URI is set, otherwise the
 * embedded SQLite files (nothing to install or start). Logs which one and where, never secrets.
 */
export async function openStorage(config: AppConfig, logger: Logger): Promise<StorageBackend> {
  const { storage } = config;
  const backend = storage.mongoUri
    ? await openMongoBackend(storage.mongoUri, logger)
    : openSqlite(config, logger);
  logger.info({ backend: backend.kind, location: backend.location }, 'storage ready');
  return backend;
}

function openSqlite(config: AppConfig, logger: Logger): StorageBackend {
  const { sqlitePath, dataKeysPath } = config.storage;
  try {
    return openSqliteBackend({ path: sqlitePath, keysPath: dataKeysPath, logger });
  } catch (error) {
    // The path is configuration, not personal data: name it so the fix is obvious.
    throw new StorageUnavailableError(`open ${sqlitePath} and ${dataKeysPath}`, error);
  }
}

import { constants as fsConstants, promises as fs } from 'node:fs';
import { type AppConfig, IN_MEMORY } from '../config/config';
import { ConfigError } from '../core/errors';

/**
 * An operator tool (`npm run privacy`, `npm run keys`) works on the bot's own storage, chosen as
 * the bot chooses it (src/storage/open-storage.ts): MongoDB when MONGODB_URI is set, otherwise
 * the SQLite files. Unlike the bot, a tool never creates a database: answering a request from a
 * new, empty one would report "nothing stored" (or rotate no keys) while the person's data stays
 * in the real files. So on SQLite both files `npm start` creates must already be there: the data
 * file and, beside it, the wrapped data keys. Call before openStorage.
 */
export async function requireBotStorage(config: AppConfig, tool: string): Promise<void> {
  if (config.storage.mongoUri) return;
  const { sqlitePath, dataKeysPath } = config.storage;
  if (sqlitePath === IN_MEMORY || dataKeysPath === IN_MEMORY)
    throw new ConfigError(
      `DATABASE_PATH: ${IN_MEMORY} is a database of its own that ends with its process; ` +
        `\`${tool}\` needs the bot's database file`,
    );
  const missing = [
    ...((await exists(sqlitePath)) ? [] : [`DATABASE_PATH (${sqlitePath})`]),
    ...((await exists(dataKeysPath)) ? [] : [`DATA_KEYS_PATH (${dataKeysPath})`]),
  ];
  if (missing.length > 0)
    throw new ConfigError(
      `${missing.join(', ')}: no such file. \`${tool}\` works on the bot's database and never ` +
        "creates one: set DATA_DIR (or run from the bot's directory), DATABASE_PATH and DATA_KEYS_PATH " +
        'as the bot has them, or MONGODB_URI when the bot runs on MongoDB',
    );
}

export async function exists(file: string): Promise<boolean> {
  return fs.access(file, fsConstants.F_OK).then(
    () => true,
    () => false,
  );
}

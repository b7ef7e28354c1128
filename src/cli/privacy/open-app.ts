import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { type App, createApp } from '../../app';
import { type AppConfig, loadConfig } from '../../config/config';
import { ConfigError } from '../../core/errors';
import { LOCAL_MASTER_KEY_FILE } from '../../crypto/local-master-key';
import { createLogger } from '../../logging/logger';
import { openDatabase } from '../../storage/mongo/connection';
import { registerModels } from '../../storage/mongo/stores';
import type { PrivacyCliDeps } from './deps';

/**
 * The app (services.rights, services.subjectIds) on the bot's database, closed afterwards.
 * Never an embedded mongod: answering a request from an empty scratch database would report
 * "nothing stored" while the person's data stays where it is.
 */
export async function withApp<T>(deps: PrivacyCliDeps, run: (app: App) => Promise<T>): Promise<T> {
  const env = deps.env ?? process.env;
  const config = loadConfig(env);
  const uri = config.mongo.uri;
  if (!uri)
    throw new ConfigError(
      'MONGODB_URI: required for `npm run privacy` (the bot database). The embedded database of ' +
        '`npm start` runs only while the bot runs, on a random port it does not log: point the bot ' +
        'and this tool at the same MONGODB_URI.',
    );
  await requireExistingSecrets(config);
  // Info logs would bury the one-line answers on stderr; LOG_LEVEL still wins when set.
  const logger = deps.logger ?? createLogger(env.LOG_LEVEL ? config.logLevel : 'warn');
  const db = await openDatabase(uri, logger, registerModels);
  try {
    const app = await createApp({
      config,
      logger,
      connection: db.connection,
      ...(deps.clock && { clock: deps.clock }),
      ...(deps.keyProviderOptions && { keyProviderOptions: deps.keyProviderOptions }),
    });
    try {
      return await run(app);
    } finally {
      app.close();
    }
  } finally {
    await db.close();
  }
}

/**
 * In development the pepper and the local master key are files the bot created in DATA_DIR.
 * createApp would create new ones when they are missing (the tool run from another directory):
 * every subject id would then match nobody, and an erasure would "succeed" on nothing.
 */
async function requireExistingSecrets(config: AppConfig): Promise<void> {
  const missing: string[] = [];
  // The file name loadPepper (src/privacy/subject-id.ts) uses.
  if (!config.privacy.pepper && !(await exists(path.join(config.dataDir, 'subject-pepper'))))
    missing.push('SUBJECT_ID_PEPPER');
  if (
    config.keys.provider === 'local' &&
    !config.keys.localMasterKey &&
    !(await exists(path.join(config.dataDir, LOCAL_MASTER_KEY_FILE)))
  )
    missing.push('LOCAL_MASTER_KEY');
  if (missing.length > 0)
    throw new ConfigError(
      `${missing.join(', ')}: not set, and the file the bot creates for it in development is not in ` +
        `${config.dataDir}; set DATA_DIR (or run from the bot's directory) or set the bot's values`,
    );
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file, fsConstants.F_OK).then(
    () => true,
    () => false,
  );
}

import path from 'node:path';
import { type App, createApp } from '../../app';
import { type AppConfig, loadConfig } from '../../config/config';
import { ConfigError } from '../../core/errors';
import { LOCAL_MASTER_KEY_FILE } from '../../crypto/local-master-key';
import { type Logger, createLogger } from '../../logging/logger';
import type { StorageBackend } from '../../storage/backend';
import { openStorage } from '../../storage/open-storage';
import { exists, requireBotStorage } from '../operator-storage';
import type { PrivacyCliDeps } from './deps';

const TOOL = 'npm run privacy';

/**
 * The app (services.rights, services.subjectIds) on the bot's storage (handed over too, for the
 * counts and the purge that only the backend does), closed afterwards: the
 * SQLite files the bot uses, or its MongoDB when MONGODB_URI is set. Never a new database:
 * answering a request from an empty one would report "nothing stored" while the person's data
 * stays where it is.
 */
export async function withApp<T>(
  deps: PrivacyCliDeps,
  run: (app: App, storage: StorageBackend) => Promise<T>,
): Promise<T> {
  const env = deps.env ?? process.env;
  const config = loadConfig(env);
  // Both checks before anything is opened or created.
  await requireBotStorage(config, TOOL);
  await requireExistingSecrets(config);
  const logger = operatorLogger(deps, env, config);
  const storage = await openStorage(config, logger);
  try {
    const app = await createApp({
      config,
      logger,
      storage,
      ...(deps.clock && { clock: deps.clock }),
      ...(deps.keyProviderOptions && { keyProviderOptions: deps.keyProviderOptions }),
    });
    try {
      return await run(app, storage);
    } finally {
      await app.close();
    }
  } finally {
    await storage.close();
  }
}

/** Info logs would bury the one-line answers on stderr; LOG_LEVEL still wins when set. */
export function operatorLogger(deps: PrivacyCliDeps, env: NodeJS.ProcessEnv, config: AppConfig): Logger {
  return deps.logger ?? createLogger(env.LOG_LEVEL ? config.logLevel : 'warn');
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

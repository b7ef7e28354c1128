import { promises as fs } from 'node:fs';
import { loadConfig } from '../../../config/config';
import { ConfigError } from '../../../core/errors';
import { openSqliteBackend } from '../../../storage/sqlite/backend';
import type { CliStreams } from '../../cli-io';
import { requireBotStorage } from '../../operator-storage';
import type { BackupCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { operatorLogger } from '../open-app';
import { createPrivateFile } from '../private-file';

/**
 * `backup <destination>`: a consistent copy of the SQLite data file, taken with SQLite's online
 * backup while the bot may keep running. Never the key file: a backup that held the wrapped data
 * keys would keep an erased person readable for as long as the backup is kept (crypto-shredding
 * reaches copies of the data only because the copies never hold the keys).
 */
export async function backupDatabase(
  command: BackupCommand,
  deps: PrivacyCliDeps,
  io: CliStreams,
): Promise<number> {
  const env = deps.env ?? process.env;
  const config = loadConfig(env);
  if (config.storage.mongoUri)
    throw new ConfigError(
      'MONGODB_URI is set: the bot stores its data in MongoDB, and `backup` copies the SQLite data ' +
        "file only. Back MongoDB up with its own tools (mongodump, or your provider's snapshots); " +
        'leave out the data_keys collection, or keep its backups apart and short-lived.',
    );
  await requireBotStorage(config, 'npm run privacy -- backup');
  const { sqlitePath, dataKeysPath } = config.storage;
  const backend = openSqliteBackend({
    path: sqlitePath,
    keysPath: dataKeysPath,
    logger: operatorLogger(deps, env, config),
  });
  let destination: string;
  try {
    // A new file, private to the operator: an existing one (an earlier backup, or the database
    // itself) is never overwritten. The online backup then writes into it.
    const claimed = await createPrivateFile(command.destination, '<destination>');
    await claimed.handle.close();
    destination = claimed.path;
    try {
      await backend.backup(destination);
    } catch (error) {
      // Half a copy is no backup, and it is still personal data.
      await fs.rm(destination, { force: true });
      throw error;
    }
  } finally {
    await backend.close();
  }
  const { size } = await fs.stat(destination);
  io.stdout.write(
    [
      `backed up ${sqlitePath}`,
      `       to ${destination} (${size} bytes, SQLite online backup, mode 0600)`,
      `not in it: the wrapped data keys (${dataKeysPath}).`,
      'History and profile fields in the backup can be read only with the key file. Keep key-file copies',
      'apart from data backups and only briefly, so a person erased since stays unreadable in every backup.',
      '',
    ].join('\n'),
  );
  return 0;
}

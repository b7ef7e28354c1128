import type Database from 'better-sqlite3';
import { IN_MEMORY } from '../../config/config';
import type { Logger } from '../../logging/logger';
import type { StorageBackend } from '../backend';
import type { Stores } from '../ports';
import { SqliteBreachRegister } from './breach-register';
import { type CheckpointerOptions, startWalCheckpointer } from './checkpointer';
import { SqliteConsentLedger } from './consent-ledger';
import { SqliteConversationStateStore } from './conversation-state-store';
import { SqliteDataKeyStore } from './data-key-store';
import { SqliteEncryptedDataIndex } from './encrypted-data-index';
import { guarded } from './guard';
import { HistoryEraser } from './history-eraser';
import { SqliteHistoryStore } from './history-store';
import { DATA_MIGRATIONS, KEY_MIGRATIONS } from './migrations';
import { openSqliteFile, truncateWal } from './open-database';
import { SqlitePersonalDataEraser } from './personal-data';
import { SqliteProfileStore } from './profile-store';
import { inventoryOf, purgePersonalRows } from './purge';
import { SqliteRightsRequestLedger } from './rights-request-ledger';
import { SqliteSubjectStore } from './subject-store';
import { DEFAULT_SWEEP_BATCH, sweepExpiredRows } from './sweep';
import { SqliteUsageCounts } from './usage-counts';

export interface SqliteBackendOptions {
  /** The data file, or ':memory:'. */
  readonly path: string;
  /** The wrapped data keys' own file, or ':memory:'. */
  readonly keysPath: string;
  readonly logger: Logger;
  /** WAL checkpoints of the data file (checkpointer.ts); tests shorten or stretch them. */
  readonly checkpoints?: CheckpointerOptions;
}

/**
 * The SQLite backend, with its two open handles for the operator tools (backup) and for tests
 * that look at the raw files. Tables: subjects, consent_ledger, conversation_state, history,
 * profiles + profile_fields, rights_requests, breaches + breach_notices, usage_counts (anonymous)
 * in the data file; data_keys in the key file.
 */
export interface SqliteBackend extends StorageBackend {
  readonly kind: 'sqlite';
  readonly db: Database.Database;
  readonly keysDb: Database.Database;
  /** SQLite's online backup of the data file (never the key file) to `destination`. */
  backup(destination: string): Promise<void>;
}

/**
 * The default backend: two files, nothing to install or start. One process owns them; more
 * processes need MongoDB (see README "Storage").
 */
export function openSqliteBackend(options: SqliteBackendOptions): SqliteBackend {
  if (options.path === options.keysPath && options.path !== ':memory:')
    throw new Error('the data keys need a file of their own (DATA_KEYS_PATH), apart from the data');
  const db = openSqliteFile(options.path, DATA_MIGRATIONS);
  let keysDb: Database.Database;
  try {
    keysDb = openSqliteFile(options.keysPath, KEY_MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  // A file's WAL is checkpointed by a worker thread; an in-memory database has no WAL.
  const checkpointer = options.path === IN_MEMORY ? undefined : startWalCheckpointer(db, options.checkpoints);
  const emptyWal = checkpointer ? () => checkpointer.truncate() : () => truncateWal(db);
  const erasedHistory = new HistoryEraser(db, keysDb, emptyWal, options.logger);
  // Rows a stopped process's erasure left behind go in the first retention pass (history-eraser.ts).
  let orphansChecked = false;
  const sweep = async (now: Date, batchSize: number) => {
    await erasedHistory.schedule();
    if (!orphansChecked) {
      const orphans = await erasedHistory.deleteOrphans();
      orphansChecked = true;
      if (orphans > 0) options.logger.info({ rows: orphans }, 'history of erased people deleted');
    }
    return sweepExpiredRows(db, now, batchSize);
  };
  return {
    kind: 'sqlite',
    location: options.path,
    db,
    keysDb,
    dataKeys: new SqliteDataKeyStore(keysDb),
    createStores: (sealer, clock): Stores => ({
      subjects: new SqliteSubjectStore(db, clock),
      consentLedger: new SqliteConsentLedger(db, clock),
      conversations: new SqliteConversationStateStore(db, clock),
      history: new SqliteHistoryStore(db, sealer, clock, emptyWal, erasedHistory),
      profiles: new SqliteProfileStore(db, sealer, clock, emptyWal),
      rightsRequests: new SqliteRightsRequestLedger(db, clock),
      personalData: new SqlitePersonalDataEraser(db, emptyWal, erasedHistory),
      breaches: new SqliteBreachRegister(db, clock),
      encryptedData: new SqliteEncryptedDataIndex(db),
      usage: new SqliteUsageCounts(db, clock),
    }),
    expiresByItself: false,
    sweepExpired: (now, batchSize = DEFAULT_SWEEP_BATCH) =>
      guarded('retention.sweep', () => sweep(now, batchSize)),
    inventory: () => guarded('inventory', () => inventoryOf(db, keysDb)),
    purgePersonalData: () => guarded('purge', () => purgePersonalRows(db, keysDb, emptyWal)),
    backup: (destination) => guarded('backup', async () => void (await db.backup(destination))),
    close: async () => {
      // The background delete stops and the worker's connection closes first, so this close is
      // the last one: SQLite's final checkpoint folds the WAL in and removes it. A second close
      // is harmless.
      await erasedHistory.stop();
      await checkpointer?.stop();
      if (db.open) db.close();
      if (keysDb.open) keysDb.close();
      options.logger.debug({ location: options.path }, 'storage closed');
    },
  };
}

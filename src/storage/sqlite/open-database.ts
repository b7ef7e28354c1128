import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { IN_MEMORY } from '../../config/config';
import { type Migration, migrate } from './migrations';

/** How long a write waits for another connection's lock before it fails (SQLITE_BUSY). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens one SQLite file with the settings every handle of this project uses:
 * - WAL: readers never block the writer, and a commit is one append to the log.
 * - synchronous=NORMAL: in WAL mode the database cannot be corrupted by a crash or power cut;
 *   a power cut (not a process crash) can lose the transactions of the last moments before it.
 * - foreign_keys: profile fields go with their profile.
 * - secure_delete: deleted rows are overwritten with zeros, so an erased person's ciphertext does
 *   not linger in free pages of the file (or of copies made from it).
 * - busy_timeout: another process (the operator CLI) holding the lock briefly is waited for.
 * The file is readable by its owner only, like the key and pepper files beside it.
 */
export function openSqliteFile(file: string, migrations: readonly Migration[]): Database.Database {
  if (file !== IN_MEMORY) mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  try {
    if (file !== IN_MEMORY) chmodSync(file, 0o600);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Empties the data file's WAL (see truncateWal): through the checkpointer on a file
 * (checkpointer.ts), which waits for a checkpoint its worker may be running at that moment.
 */
export type EmptyWal = () => void;

/**
 * Copies the WAL into the database file and empties it. Called after an erasure deletes rows:
 * until then the log still holds the pages as they were before the delete. With one process per
 * file nothing reads meanwhile; should another connection hold a read, the log is truncated at
 * the next checkpoint instead (SQLite's automatic one, or the next erasure).
 */
export function truncateWal(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

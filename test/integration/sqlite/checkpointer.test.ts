import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { openSqliteBackend } from '../../../src/storage/sqlite/backend';
import { startWalCheckpointer } from '../../../src/storage/sqlite/checkpointer';
import { DATA_MIGRATIONS } from '../../../src/storage/sqlite/migrations';
import { openSqliteFile } from '../../../src/storage/sqlite/open-database';

/**
 * The WAL checkpointer (src/storage/sqlite/checkpointer.ts): a worker thread folds the WAL into the
 * data file; the main connection checkpoints by itself only past a bound; closing leaves one file
 * with everything in it; the truncate that erasure and rectification need works with the worker
 * running and after it stopped.
 */

const silent = pino({ level: 'silent' });
/** One page of frames in the WAL: the page and its 24-byte frame header. */
const FRAME_BYTES = 4096 + 24;
/** An interval no test waits for: the worker never checkpoints by itself. */
const NEVER_MS = 3_600_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sqlite-checkpointer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `count` rows of about 1 kB each, one transaction each, as turns write them. */
function writeRows(db: Database.Database, count: number, from = 0): void {
  const insert = db.prepare(`INSERT INTO conversation_state VALUES (?, 'c', NULL, 1, ?)`);
  for (let i = from; i < from + count; i++)
    insert.run(`subject-${i}-${'x'.repeat(1000)}`, Date.now() + 3_600_000);
}

const walBytes = (file: string) => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
const rowsIn = (db: Database.Database) =>
  (db.prepare(`SELECT count(*) AS n FROM conversation_state`).get() as { n: number }).n;

describe('WAL checkpoints off the event loop', () => {
  it('closing leaves the data file alone holding every row: the last checkpoint is waited for', async () => {
    const file = path.join(dir, 'bot.sqlite');
    const backend = openSqliteBackend({
      path: file,
      keysPath: path.join(dir, 'bot.keys.sqlite'),
      logger: silent,
    });
    writeRows(backend.db, 300);
    expect(walBytes(file)).toBeGreaterThan(0);

    await backend.close();
    // No connection is left open (the worker's included), so the WAL is gone, not just copied.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const copy = path.join(dir, 'copy.sqlite');
    copyFileSync(file, copy);
    const reopened = new Database(copy, { readonly: true });
    expect(rowsIn(reopened)).toBe(300);
    reopened.close();
  });

  it('the main connection checkpoints by itself once the WAL passes the guard (a stalled worker)', async () => {
    const file = path.join(dir, 'guarded.sqlite');
    const db = openSqliteFile(file, DATA_MIGRATIONS);
    const checkpointer = startWalCheckpointer(db, { intervalMs: NEVER_MS, guardPages: 50 });
    writeRows(db, 1000);
    // 1,000 rows of 1 kB fill ~250 pages, each commit appending two frames or more: without the
    // guard the WAL would hold over 2,000 frames. With it the log restarts every 50 pages or so
    // (a little later when a checkpoint finds a reader in the way), so the file stays far smaller.
    expect(walBytes(file)).toBeLessThan(600 * FRAME_BYTES);
    expect(rowsIn(db)).toBe(1000);
    await checkpointer.stop();
    db.close();
  });

  it('the worker keeps the WAL from growing when nothing else checkpoints', async () => {
    const file = path.join(dir, 'worker.sqlite');
    const db = openSqliteFile(file, DATA_MIGRATIONS);
    // The guard far away: only the worker can let the log be reused.
    const checkpointer = startWalCheckpointer(db, { intervalMs: 5, frames: 20, guardPages: 1_000_000 });
    const unchecked = openSqliteFile(path.join(dir, 'unchecked.sqlite'), DATA_MIGRATIONS);
    unchecked.pragma('wal_autocheckpoint = 0');
    for (let round = 0; round < 20; round++) {
      writeRows(db, 50, round * 50);
      writeRows(unchecked, 50, round * 50);
      // Let the worker run between bursts, as it does between turns.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(walBytes(file)).toBeLessThan(walBytes(path.join(dir, 'unchecked.sqlite')) / 2);
    expect(rowsIn(db)).toBe(1000);
    await checkpointer.stop();
    db.close();
    unchecked.close();
  });

  it('truncate empties the WAL while the worker runs, and after it stopped', async () => {
    const file = path.join(dir, 'truncate.sqlite');
    const db = openSqliteFile(file, DATA_MIGRATIONS);
    const checkpointer = startWalCheckpointer(db, { intervalMs: 1 });
    for (let round = 0; round < 5; round++) {
      writeRows(db, 100, round * 100);
      checkpointer.truncate();
      expect(walBytes(file)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await checkpointer.stop();
    writeRows(db, 100, 500);
    expect(walBytes(file)).toBeGreaterThan(0);
    checkpointer.truncate();
    expect(walBytes(file)).toBe(0);
    expect(rowsIn(db)).toBe(600);
    db.close();
  });
});

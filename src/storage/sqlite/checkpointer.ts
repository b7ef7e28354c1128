import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, truncateWal } from './open-database';

/** How often the worker looks at the WAL. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * The worker checkpoints once the WAL holds this many frames not yet copied into the data file:
 * SQLite's own default for its automatic checkpoint, so the files change as they did before, only
 * the work left the event loop.
 */
export const CHECKPOINT_FRAMES = 1000;

/**
 * The WAL size (in pages) past which the main connection checkpoints by itself, as SQLite's
 * automatic checkpoint does: only when the worker has fallen behind or died, so the WAL (and a
 * restart's recovery time) stays bounded. 16 MB with 4 kB pages.
 */
export const WAL_GUARD_PAGES = 4000;

/**
 * The size the WAL file is cut back to when the log restarts after a complete checkpoint. The
 * worker checkpoints a little later than SQLite would in the commit, so a burst can let the file
 * grow past what it used to; this gives the disk space back.
 */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

export interface CheckpointerOptions {
  readonly intervalMs?: number;
  readonly frames?: number;
  readonly guardPages?: number;
}

/**
 * WAL checkpoints for one data file, off the event loop. A checkpoint copies pages into the data
 * file and syncs it; run by SQLite inside a commit (its automatic checkpoint every 1,000 frames) it
 * stalls every turn in flight. Here a worker thread with a connection of its own runs that
 * checkpoint instead (PASSIVE, once CHECKPOINT_FRAMES wait); the empty-the-log checkpoint that
 * erasure and rectification need (truncate) stays on the main connection. Durability is the same:
 * the same syncs, mostly on another thread.
 */
export interface WalCheckpointer {
  /**
   * Copies the WAL into the data file and empties it (TRUNCATE, on the main connection, the only
   * writer), so no old page image of a deleted or replaced row stays in the log. Waits for a
   * checkpoint the worker is running to end first: two checkpoints cannot run at once.
   */
  truncate(): void;
  /**
   * Closes the worker's connection and resolves once it is closed, so the main connection's close
   * that follows is the last one: SQLite then runs the final checkpoint and deletes the WAL. (A
   * checkpoint of the worker's own here would change the data file even when another process,
   * the operator CLI, still has it open and its close is not the last.) Later truncates need no wait.
   */
  stop(): Promise<void>;
}

/**
 * The worker: plain CommonJS evaluated in a worker thread, so it needs no TypeScript loader. Only
 * PASSIVE checkpoints: they never take the write lock nor reset the log, so the main connection's
 * transactions never wait for the worker. `lock` (shared memory) keeps the worker's checkpoint and
 * the main connection's truncate apart; the worker skips a round rather than wait for it.
 *
 * How many frames wait to be copied it reads from the WAL-index header in the `-shm` file, whose
 * layout SQLite documents (walformat.html: mxFrame at byte 16, nBackfill at byte 96, in the
 * machine's byte order): a look costs one read of 100 bytes, not a checkpoint. A header it cannot
 * read counts as a full log.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const fs = require('node:fs');
const lock = new Int32Array(workerData.lock);
const db = new Database(workerData.file);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('synchronous = NORMAL');
const header = Buffer.alloc(100);
const u32 = (at) => (workerData.littleEndian ? header.readUInt32LE(at) : header.readUInt32BE(at));
const waitingFrames = () => {
  try {
    const fd = fs.openSync(workerData.file + '-shm', 'r');
    try {
      if (fs.readSync(fd, header, 0, 100, 0) < 100) return Infinity;
    } finally {
      fs.closeSync(fd);
    }
    return u32(16) - u32(96);
  } catch {
    return Infinity;
  }
};
const checkpoint = () => {
  if (waitingFrames() < workerData.frames) return;
  if (Atomics.compareExchange(lock, 0, 0, 1) !== 0) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The next round tries again; the main connection's guard bounds the log meanwhile.
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0);
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startWalCheckpointer(
  db: Database.Database,
  options: CheckpointerOptions = {},
): WalCheckpointer {
  // The guard: the main connection checkpoints by itself only past this many pages.
  db.pragma(`wal_autocheckpoint = ${options.guardPages ?? WAL_GUARD_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const lock = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file: db.name,
      driver: require.resolve('better-sqlite3'),
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
      frames: options.frames ?? CHECKPOINT_FRAMES,
      littleEndian: os.endianness() === 'LE',
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      lock,
    },
  });
  // A timer in a worker must never keep a finished process alive.
  worker.unref();
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  // A worker that fails (it cannot open the file) leaves the main connection's guard in charge.
  worker.on('error', () => undefined);
  const held = new Int32Array(lock);
  let stopping: Promise<void> | undefined;
  return {
    truncate: () => {
      // The worker's checkpoint (about CHECKPOINT_FRAMES pages) is waited for: milliseconds. A
      // worker that is gone holds nothing, whatever the lock says; nor is it waited for forever
      // (SQLite answers busy then, and the next truncate catches up).
      const deadline = Date.now() + BUSY_TIMEOUT_MS;
      let acquired = false;
      while (!gone && Date.now() < deadline && !(acquired = Atomics.compareExchange(held, 0, 0, 1) === 0))
        Atomics.wait(held, 0, 1, 10);
      try {
        truncateWal(db);
      } finally {
        if (acquired) {
          Atomics.store(held, 0, 0);
          Atomics.notify(held, 0);
        }
      }
    },
    stop: () => {
      stopping ??= (async () => {
        // Kept alive while its connection closes, then let go.
        worker.ref();
        worker.postMessage('stop');
        await exited;
        worker.unref();
      })();
      return stopping;
    },
  };
}

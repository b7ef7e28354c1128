import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';

/**
 * The tables whose rows expire. Profile fields go with their profile (foreign key, cascade);
 * data keys never expire (only erasure and purge-all shred them).
 */
export const EXPIRING_TABLES = [
  'subjects',
  'consent_ledger',
  'conversation_state',
  'history',
  'profiles',
  'rights_requests',
  // Before their breach: a breach's notices would otherwise go by cascade, unbatched.
  'breach_notices',
  'breaches',
  'usage_counts',
] as const;

/** Rows one statement deletes: a batch of 200 takes a millisecond or two on the benchmark VM. */
export const DEFAULT_SWEEP_BATCH = 200;

/**
 * The share of the event loop a sweep may take while it runs. After a batch that took t ms it
 * rests t * (1 - duty) / duty ms, so live turns keep three quarters of the loop: a sweep of a
 * million rows takes about four times its bare work, and a turn never waits behind more than one
 * batch.
 */
export const SWEEP_DUTY = 0.25;

/**
 * One retention pass over every expiring table, in batches of at most `batchSize` rows, time-sliced
 * (SWEEP_DUTY), so a million expired rows never hold the database (or a waiting turn) for more than
 * one small batch.
 */
export async function sweepExpiredRows(
  db: Database.Database,
  now: Date,
  batchSize = DEFAULT_SWEEP_BATCH,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of EXPIRING_TABLES) {
    const deleteBatch = db.prepare<{ now: number; batch: number }>(`
      DELETE FROM ${table} WHERE rowid IN (
        SELECT rowid FROM ${table} WHERE expires_at <= @now LIMIT @batch)`);
    counts[table] = await inSlices(
      batchSize,
      () => deleteBatch.run({ now: now.getTime(), batch: batchSize }).changes,
    );
  }
  return counts;
}

/**
 * Runs `deleteBatch` until it deletes fewer than `batchSize` rows, resting between batches so the
 * work takes at most SWEEP_DUTY of the event loop. Returns the number of rows deleted.
 */
export async function inSlices(batchSize: number, deleteBatch: () => number): Promise<number> {
  let deleted = 0;
  while (true) {
    const started = performance.now();
    const changes = deleteBatch();
    deleted += changes;
    if (changes < batchSize) return deleted;
    const restMs = ((performance.now() - started) * (1 - SWEEP_DUTY)) / SWEEP_DUTY;
    await new Promise<void>((resolve) => (restMs >= 1 ? setTimeout(resolve, restMs) : setImmediate(resolve)));
  }
}

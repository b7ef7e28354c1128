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
] as const;

export const DEFAULT_SWEEP_BATCH = 1000;

/**
 * One retention pass over every expiring table. Each statement deletes at most `batchSize`
 * rows, and the pass yields to the event loop between statements, so a million expired rows
 * never hold the database (or a waiting turn) for more than one small batch.
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
    let deleted = 0;
    while (true) {
      const { changes } = deleteBatch.run({ now: now.getTime(), batch: batchSize });
      deleted += changes;
      if (changes < batchSize) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    counts[table] = deleted;
  }
  return counts;
}

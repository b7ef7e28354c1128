import type Database from 'better-sqlite3';
import type { PurgeReport, StorageInventory } from '../backend';
import { type EmptyWal, truncateWal } from './open-database';

/** Rows per DELETE: a big purge never holds the lock (or grows the WAL) for long. */
const PURGE_BATCH = 1000;

/**
 * Personal data in the data file, in the order purge-all deletes it: the consent state first,
 * so a process still running stores nothing new for anyone (every write re-checks it). Profile
 * fields go with their profile (foreign key, cascade).
 */
const PERSONAL_TABLES = ['subjects', 'conversation_state', 'history', 'profiles'] as const;

/** Tables that name a person by pseudonymous id, for the count of people. */
const TABLES_WITH_SUBJECTS = [
  'subjects',
  'consent_ledger',
  'conversation_state',
  'history',
  'profiles',
  'rights_requests',
  'breach_notices',
] as const;

/*
 * Not in any list here: `usage_counts`, the analytics purpose's anonymous daily totals. They name
 * nobody, so purge-all leaves them to their own expiry (RETENTION_ANALYTICS_MONTHS) and they do
 * not count towards the evidence date either.
 */

/** The evidence purge-all keeps, each row until its own `expires_at`. */
const EVIDENCE_TABLES = ['consent_ledger', 'rights_requests', 'breaches', 'breach_notices'] as const;

/** Counts per table, as stored (expired or not): a dry run for the operator, run once. */
export function inventoryOf(db: Database.Database, keysDb: Database.Database): StorageInventory {
  const count = (handle: Database.Database, sql: string): number =>
    handle.prepare<[], { n: number }>(sql).get()?.n ?? 0;
  const rows = (table: string) => count(db, `SELECT count(*) AS n FROM ${table}`);
  const people = TABLES_WITH_SUBJECTS.map((table) => `SELECT subject_id FROM ${table}`).join(' UNION ');
  const lastExpiry = EVIDENCE_TABLES.map((table) => `SELECT max(expires_at) AS m FROM ${table}`).join(
    ' UNION ALL ',
  );
  const until = db.prepare<[], { m: number | null }>(`SELECT max(m) AS m FROM (${lastExpiry})`).get()?.m;
  return {
    subjects: rows('subjects'),
    restrictedSubjects: count(db, 'SELECT count(*) AS n FROM subjects WHERE restricted = 1'),
    conversations: rows('conversation_state'),
    history: rows('history'),
    profiles: rows('profiles'),
    dataKeys: count(keysDb, 'SELECT count(*) AS n FROM data_keys'),
    consentLedger: rows('consent_ledger'),
    rightsRequests: rows('rights_requests'),
    unansweredRequests: count(db, "SELECT count(*) AS n FROM rights_requests WHERE status <> 'completed'"),
    breaches: rows('breaches'),
    breachNotices: rows('breach_notices'),
    people: count(db, `SELECT count(*) AS n FROM (${people})`),
    evidenceUntil: until === null || until === undefined ? null : new Date(until),
  };
}

/**
 * purge-all on SQLite (see StorageBackend.purgePersonalData): row by row in batches, so
 * secure_delete overwrites each deleted row in its page (a DELETE without WHERE would drop whole
 * pages instead), then every wrapped key from the key file; both WALs are emptied at the end, so
 * no old page image of a deleted row or key stays behind in the files.
 */
export async function purgePersonalRows(
  db: Database.Database,
  keysDb: Database.Database,
  emptyWal: EmptyWal,
): Promise<PurgeReport> {
  const deleted: Record<string, number> = {};
  for (const table of PERSONAL_TABLES) deleted[table] = await deleteAll(db, table);
  const dataKeys = await deleteAll(keysDb, 'data_keys');
  emptyWal();
  truncateWal(keysDb);
  return {
    subjects: deleted.subjects ?? 0,
    conversations: deleted.conversation_state ?? 0,
    history: deleted.history ?? 0,
    profiles: deleted.profiles ?? 0,
    dataKeys,
  };
}

async function deleteAll(handle: Database.Database, table: string): Promise<number> {
  const batch = handle.prepare<[number]>(
    `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} LIMIT ?)`,
  );
  let total = 0;
  while (true) {
    const { changes } = batch.run(PURGE_BATCH);
    total += changes;
    if (changes < PURGE_BATCH) return total;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

import type Database from 'better-sqlite3';
import type { CategorySummary } from '../ports';

interface SummaryRow {
  count: number;
  first: number | null;
  last: number | null;
  expires_first: number | null;
  expires_last: number | null;
  paused: number | null;
}

/** Count, date range and expiry range of one subject's live rows, in one query that never decrypts. */
export function summaryStatement<Extra extends object = object>(
  db: Database.Database,
  table: string,
  dateColumn: string,
  /** A further condition on the rows, with its parameters in `Extra`. */
  andWhere = '',
) {
  return db.prepare<{ subjectId: string; now: number } & Extra, SummaryRow>(`
    SELECT count(*) AS count, min(${dateColumn}) AS first, max(${dateColumn}) AS last,
      min(expires_at) AS expires_first, max(expires_at) AS expires_last,
      sum(expires_at IS NULL) AS paused
    FROM ${table} WHERE subject_id = @subjectId AND (expires_at IS NULL OR expires_at > @now) ${andWhere}`);
}

export function toSummary(row: SummaryRow | undefined): CategorySummary {
  if (!row || row.count === 0) return { count: 0, paused: 0 };
  const date = (ms: number | null) => (ms === null ? undefined : new Date(ms));
  const first = date(row.first);
  const last = date(row.last);
  const expiresFirst = date(row.expires_first);
  const expiresLast = date(row.expires_last);
  return {
    count: row.count,
    paused: row.paused ?? 0,
    ...(first && { first }),
    ...(last && { last }),
    ...(expiresFirst && { expiresFirst }),
    ...(expiresLast && { expiresLast }),
  };
}

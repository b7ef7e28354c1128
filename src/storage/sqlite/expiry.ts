import type Database from 'better-sqlite3';
import { StorageRejectedError } from '../../core/errors';

/**
 * Statements that stop and restart one subject's retention clock in `table` (GDPR Art. 18).
 * Pausing keeps the time that was left and sets `expires_at` to null, which the sweeper and
 * every read treat as "kept"; resuming gives the same time left from the moment it resumes.
 * Already-expired rows are not paused: they are gone as far as any read can tell.
 */
export function expiryStatements(db: Database.Database, table: 'history' | 'profiles') {
  return {
    pause: db.prepare<{ subjectId: string; at: number }>(`
      UPDATE ${table} SET expiry_remaining_ms = expires_at - @at, expires_at = NULL
      WHERE subject_id = @subjectId AND expires_at > @at`),
    resume: db.prepare<{ subjectId: string; at: number }>(`
      UPDATE ${table} SET expires_at = @at + expiry_remaining_ms, expiry_remaining_ms = NULL
      WHERE subject_id = @subjectId AND expires_at IS NULL AND expiry_remaining_ms IS NOT NULL`),
  };
}

export interface Standing {
  readonly allowed: boolean;
  readonly restricted: boolean;
}

/**
 * The subject's standing for a write of personal data under `purpose`, read inside the write's
 * transaction: `allowed` when their current decision grants the purpose (a person erased or
 * withdrawn while the turn was sealing gets nothing stored: the write is refused, see
 * noConsent), `restricted` when their data must start with its clock paused (a restriction that
 * landed meanwhile wins).
 */
export function standingStatement(
  db: Database.Database,
  purpose: 'history' | 'personalization',
): (subjectId: string, now: number) => Standing {
  const select = db.prepare<[string, number], { restricted: number; allowed: number }>(`
    SELECT restricted, coalesce(json_extract(purposes, '$.${purpose}'), 0) AS allowed FROM subjects
    WHERE subject_id = ? AND (expires_at IS NULL OR expires_at > ?)`);
  return (subjectId, now) => {
    const row = select.get(subjectId, now);
    return { allowed: row?.allowed === 1, restricted: row?.restricted === 1 };
  };
}

/** Nothing about a person is kept without their consent to the purpose, nor after their erasure. */
export function noConsent(operation: string): StorageRejectedError {
  return new StorageRejectedError(operation, new Error('no consent for this purpose from this person'));
}

import { StorageRejectedError } from '../core/errors';
import type { BreachRecord } from './ports';

/**
 * Longest `what` a breach may have, in characters (code points, as SQLite's length() counts
 * them): a kind, or a short description in one sentence.
 */
export const MAX_BREACH_WHAT_CHARS = 200;

/**
 * What every backend refuses before it writes a breach (STORAGE_REJECTED): it affects everyone
 * and has no list, or it lists at least one subject, each once; `what` is 1-200 characters; it
 * cannot have been recorded before it occurred.
 */
export function checkBreach(breach: Omit<BreachRecord, 'id'>, affected: readonly string[]): void {
  const problem =
    (breach.what.length === 0 || [...breach.what].length > MAX_BREACH_WHAT_CHARS
      ? `what must be 1-${MAX_BREACH_WHAT_CHARS} characters`
      : undefined) ??
    (breach.occurredAt.getTime() > breach.recordedAt.getTime() ? 'recorded before it occurred' : undefined) ??
    (breach.affectsAll
      ? affected.length > 0
        ? 'a breach that affects everyone takes no list'
        : undefined
      : affected.length === 0
        ? 'a breach that does not affect everyone needs the affected subjects'
        : new Set(affected).size !== affected.length
          ? 'a subject is listed twice'
          : affected.includes('')
            ? 'an empty subject id'
            : undefined);
  if (problem) throw new StorageRejectedError('breaches.record', new TypeError(problem));
}

/** Oldest occurrence first; equal times by id, so the order is stable. */
export function byOccurrence(a: BreachRecord, b: BreachRecord): number {
  return a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

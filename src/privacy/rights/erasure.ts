import { AppError } from '../../core/errors';
import type { ErasedData, Stores } from '../../storage/ports';

/** The part of the data key service erasure needs: deleting the wrapped key. */
export interface KeyShredder {
  shred(subjectId: string): Promise<boolean>;
}

export interface ErasureReport extends ErasedData {
  readonly keyShredded: boolean;
}

/** Which step of an erasure failed; the request ledger records it (`ERASURE_INCOMPLETE@shred-key`). */
export class ErasureIncompleteError extends AppError {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super('ERASURE_INCOMPLETE', `erasure stopped at step ${step}`, { cause });
  }
}

/**
 * GDPR Art. 17. First everything of the person in the data store goes at once (consent state,
 * dialog state, history, profile: one transaction on SQLite, where a long history is hidden from
 * every read in it and deleted in the background, src/storage/sqlite/history-eraser.ts), so from
 * then on no turn anywhere stores anything new for them (writes re-check the consent state). Then the data key is
 * crypto-shredded, which makes every copy of their encrypted data (backups, replicas) unreadable;
 * shredding last also removes a key that a turn in flight created before the deletion. The
 * consent and rights-request ledgers stay as pseudonymous evidence until they expire. Each step
 * is idempotent: a rerun completes a failed one.
 */
export async function eraseSubject(
  stores: Stores,
  keys: KeyShredder,
  subjectId: string,
): Promise<ErasureReport> {
  const erased = await step('delete', () => stores.personalData.eraseAllOf(subjectId));
  const keyShredded = await step('shred-key', () => keys.shred(subjectId));
  return { keyShredded, ...erased };
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new ErasureIncompleteError(name, error);
  }
}

export function erasureOutcome(report: ErasureReport): string {
  return [
    `key=${report.keyShredded ? 'shredded' : 'none'}`,
    `history=${report.history}`,
    `profile=${report.profile ? 1 : 0}`,
    `state=${report.conversations}`,
    `consent=${report.consentState ? 1 : 0}`,
  ].join(' ');
}

import { AppError } from '../../core/errors';
import type { Stores } from '../../storage/ports';

/** The part of the data key service erasure needs: deleting the wrapped key. */
export interface KeyShredder {
  shred(subjectId: string): Promise<boolean>;
}

export interface ErasureReport {
  readonly keyShredded: boolean;
  readonly history: number;
  readonly profile: boolean;
  readonly conversations: number;
  readonly consentState: boolean;
}

/** Which step of an erasure failed; the request ledger records it (`ERASURE_INCOMPLETE@history`). */
export class ErasureIncompleteError extends AppError {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super('ERASURE_INCOMPLETE', `erasure stopped at step ${step}`, { cause });
  }
}

/**
 * GDPR Art. 17. The consent state goes first, so no turn anywhere stores anything new for the
 * person from then on; then the data key is crypto-shredded, which makes every copy of their
 * encrypted data (backups, replicas, a half-finished delete) unreadable at once; then every
 * personal document is deleted, and the key is shredded once more in case a turn that started
 * before the first step created a new one meanwhile. The consent and rights-request ledgers stay
 * as pseudonymous evidence until their TTL. Each step is idempotent: a rerun completes a failed one.
 */
export async function eraseSubject(
  stores: Stores,
  keys: KeyShredder,
  subjectId: string,
): Promise<ErasureReport> {
  const consentState = await step('consent-state', () => stores.subjects.delete(subjectId));
  const conversations = await step('conversation-state', () => stores.conversations.deleteAllOf(subjectId));
  const keyShredded = await step('shred-key', () => keys.shred(subjectId));
  const history = await step('history', () => stores.history.deleteAllOf(subjectId));
  const profile = await step('profile', () => stores.profiles.deleteAllOf(subjectId));
  const lateKey = await step('shred-late-key', () => keys.shred(subjectId));
  return { keyShredded: keyShredded || lateKey, history, profile, conversations, consentState };
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

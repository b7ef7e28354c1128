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

/**
 * GDPR Art. 17: crypto-shred first, so every copy of the person's encrypted data (backups,
 * replicas, a half-finished delete) is unreadable at once; then delete every personal document.
 * The consent and rights-request ledgers stay as pseudonymous evidence until their TTL. Each step
 * is idempotent, so rerunning after a failure completes the erasure.
 */
export async function eraseSubject(
  stores: Stores,
  keys: KeyShredder,
  subjectId: string,
): Promise<ErasureReport> {
  const keyShredded = await step('shred-key', () => keys.shred(subjectId));
  const history = await step('history', () => stores.history.deleteAllOf(subjectId));
  const profile = await step('profile', () => stores.profiles.deleteAllOf(subjectId));
  const conversations = await step('conversation-state', () => stores.conversations.deleteAllOf(subjectId));
  const consentState = await step('consent-state', () => stores.subjects.delete(subjectId));
  return { keyShredded, history, profile, conversations, consentState };
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new AppError('ERASURE_INCOMPLETE', `erasure stopped at step ${name}`, { cause: error });
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

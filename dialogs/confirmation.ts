import type { Turn } from '../src/engine/turn';

/** A confirm button older than this asks again: nobody erases or withdraws with a stale tap. */
export const CONFIRMATION_TTL_MS = 15 * 60 * 1000;

/** The moment a confirmation was asked, in a button id: seconds, base 36. */
export function confirmationStamp(turn: Turn): string {
  return Math.floor(turn.now.getTime() / 1000).toString(36);
}

export function isFresh(turn: Turn, stamp: string | undefined): boolean {
  const issuedMs = stamp ? parseInt(stamp, 36) * 1000 : NaN;
  const age = turn.now.getTime() - issuedMs;
  return age >= 0 && age <= CONFIRMATION_TTL_MS;
}

/** True when the free text or clarification got here, false for the slash command itself. */
export function fromFreeText(turn: Turn): boolean {
  return turn.route.kind !== 'command';
}

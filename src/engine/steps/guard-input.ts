import type { Next } from '../../core/pipeline';
import type { Turn } from '../turn';

/**
 * Bad input gets a clear answer and nothing of it is kept: over-long messages are refused
 * before any dialog sees them, and messages without text (photos, stickers) are explained.
 *
 * A message the platform delivered must never be refused as too long, so the guard allows the
 * larger of MAX_MESSAGE_CHARS and the platform's own limit (each channel's `maxMessageChars`,
 * adapters/<name>/definition.ts); the terminal has none, so there MAX_MESSAGE_CHARS alone
 * applies. Counting code points never exceeds a count in UTF-16 units or UTF-8 bytes, whichever
 * of these a platform uses, so the guard never counts a message as longer than its platform did.
 */
export async function guardInput(turn: Turn, next: Next): Promise<void> {
  const { text, action, event, channel } = turn.message;
  const max = Math.max(
    turn.config.limits.maxMessageChars,
    turn.config.channels.maxMessageChars[channel] ?? 0,
  );
  // An emoji is one character but two UTF-16 units; counting is needed only past the limit.
  const length = text === undefined || text.length <= max ? 0 : codePoints(text);
  if (length > max) {
    turn.say(turn.t('input.tooLong', { length, max }));
    return;
  }
  if (!action && !event && (text === undefined || text.trim() === '')) {
    turn.say(turn.t('input.empty'));
    return;
  }
  await next();
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

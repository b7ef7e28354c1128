import type { Next } from '../../core/pipeline';
import type { Turn } from '../turn';

/**
 * Bad input gets a clear answer and nothing of it is kept: over-long messages are refused
 * before any dialog sees them, and messages without text (photos, stickers) are explained.
 */
export async function guardInput(turn: Turn, next: Next): Promise<void> {
  const { text, action, event } = turn.message;
  const max = turn.config.limits.maxMessageChars;
  if (text !== undefined && text.length > max) {
    turn.say(turn.t('input.tooLong', { length: text.length, max }));
    return;
  }
  if (!action && !event && (text === undefined || text.trim() === '')) {
    turn.say(turn.t('input.empty'));
    return;
  }
  await next();
}

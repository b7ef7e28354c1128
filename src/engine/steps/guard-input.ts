import type { ChannelName } from '../../core/messages';
import type { Next } from '../../core/pipeline';
import type { Turn } from '../turn';

/**
 * The longest message each platform lets a person send, in characters (Unicode code points).
 * A message the platform delivered must never be refused as too long, so the guard allows the
 * larger of this and MAX_MESSAGE_CHARS; the terminal has no limit of its own, so there
 * MAX_MESSAGE_CHARS alone applies. Keyed by ChannelName, so a new channel must decide its own.
 * Counting code points never exceeds a count in UTF-16 units or UTF-8 bytes, whichever of these
 * a platform uses, so the guard never counts a message as longer than its platform did.
 *
 * - Telegram: 4096 characters per message, https://core.telegram.org/bots/api#sendmessage
 *   ("1-4096 characters after entities parsing"); clients split longer text themselves.
 * - Discord: 2000 characters, https://discord.com/developers/docs/resources/message#create-message
 *   (content); 4000 for people with Nitro ("longer messages"), https://discord.com/nitro.
 * - Teams: about 28 KB per message, https://learn.microsoft.com/en-us/microsoftteams/limits-specifications-teams
 *   (Chat: message size, "approximately 28 KB"). UTF-8 needs at least one byte per character, so
 *   28 KiB of characters is never less than what Teams lets through.
 */
export const PLATFORM_MAX_CHARS: Readonly<Record<ChannelName, number | undefined>> = {
  telegram: 4096,
  discord: 4000,
  teams: 28 * 1024,
  console: undefined,
};

/**
 * Bad input gets a clear answer and nothing of it is kept: over-long messages are refused
 * before any dialog sees them, and messages without text (photos, stickers) are explained.
 */
export async function guardInput(turn: Turn, next: Next): Promise<void> {
  const { text, action, event, channel } = turn.message;
  const max = Math.max(turn.config.limits.maxMessageChars, PLATFORM_MAX_CHARS[channel] ?? 0);
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

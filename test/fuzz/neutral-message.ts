import type { IncomingMessage } from '../../src/core/messages';

/**
 * What the engine reads of a neutral message, with the types src/core/messages.ts promises. An
 * adapter that hands over anything else (a number as the locale hint, an object as the text)
 * moves a parsing problem from the edge, where it can be refused, into the engine.
 * Returns the problems found; an empty list means the message is well-formed.
 */
export function problemsOf(message: IncomingMessage): string[] {
  const problems: string[] = [];
  const m = message as unknown as Record<string, unknown>;
  if (!['console', 'telegram', 'discord', 'teams'].includes(m.channel as string)) problems.push('channel');
  if (typeof m.userKey !== 'string' || m.userKey === '') problems.push('userKey');
  if (typeof m.conversationKey !== 'string' || m.conversationKey === '') problems.push('conversationKey');
  if (typeof m.isPrivateChat !== 'boolean') problems.push('isPrivateChat');
  if (!(m.receivedAt instanceof Date)) problems.push('receivedAt');
  for (const name of ['text', 'action', 'localeHint'] as const) {
    if (m[name] !== undefined && typeof m[name] !== 'string') problems.push(`${name}: ${typeof m[name]}`);
  }
  if (m.event !== undefined && m.event !== 'conversation-started') problems.push('event');
  return problems;
}

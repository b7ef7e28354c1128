import type { TelegramMessage } from './update-shape';

/** Who the bot is, to tell what in a group is addressed to it. Known once getMe answered. */
export interface BotIdentity {
  readonly username: string | undefined;
  readonly id: number | undefined;
}

/** What a person wrote: the text, or the caption under a photo or file, with its entities. */
export interface MessageBody {
  readonly text: string;
  readonly entities: unknown;
}

export function bodyOf(message: TelegramMessage): MessageBody | undefined {
  if (typeof message.text === 'string') return { text: message.text, entities: message.entities };
  if (typeof message.caption === 'string') {
    return { text: message.caption, entities: message.caption_entities };
  }
  return undefined;
}

interface Span {
  readonly offset: number;
  readonly length: number;
}

/**
 * The spans that name this bot: `@ThisBot` (entity `mention`) or a link to its account
 * (`text_mention`). Entities come off the network, so each one is checked before use; offsets
 * are UTF-16 code units, as JavaScript strings count.
 */
export function ownMentions(body: MessageBody, bot: BotIdentity): Span[] {
  if (!Array.isArray(body.entities)) return [];
  const handle = bot.username === undefined ? undefined : `@${bot.username.toLowerCase()}`;
  const spans: Span[] = [];
  for (const entity of body.entities as unknown[]) {
    if (!isEntity(entity) || entity.offset + entity.length > body.text.length) continue;
    const named = body.text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    const isOurs =
      (entity.type === 'mention' && handle !== undefined && named === handle) ||
      (entity.type === 'text_mention' && bot.id !== undefined && entity.user?.id === bot.id);
    if (isOurs) spans.push({ offset: entity.offset, length: entity.length });
  }
  return spans.sort((a, b) => a.offset - b.offset);
}

export function repliesToBot(message: TelegramMessage, bot: BotIdentity): boolean {
  const original = message.reply_to_message;
  if (typeof original !== 'object' || original === null || bot.id === undefined) return false;
  // In a forum topic every message "replies" to the topic's first message, whoever opened it.
  if (original.forum_topic_created !== undefined) return false;
  return original.from?.id === bot.id;
}

/**
 * The text without the bot's own mentions, so "@ThisBot stop" reaches the engine as "stop" and
 * the opt-out phrase is recognised. The separators that tied a mention into the sentence go with
 * it ("@ThisBot, stop", "what do you keep, @ThisBot?"). A message that was nothing but a mention
 * stays as it was: an empty text would be answered as if the person had sent a photo.
 */
export function withoutMentions(text: string, spans: readonly Span[]): string {
  const pieces: string[] = [];
  let cursor = 0;
  for (const span of spans) {
    if (span.offset < cursor) continue;
    pieces.push(text.slice(cursor, span.offset));
    cursor = span.offset + span.length;
  }
  pieces.push(text.slice(cursor));
  const result = pieces.reduce(joinAtCut).trim();
  return result === '' ? text : result;
}

function joinAtCut(left: string, right: string): string {
  const head = left.replace(/[\s,:]+$/u, '');
  const tail = right.replace(/^[\s,:]+/u, '');
  if (head === '' || tail === '') return head + tail;
  return /^[.!?;)]/u.test(tail) ? head + tail : `${head} ${tail}`;
}

interface Entity extends Span {
  readonly type: unknown;
  readonly user?: { readonly id?: unknown };
}

function isEntity(value: unknown): value is Entity {
  if (typeof value !== 'object' || value === null) return false;
  const { offset, length } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    (offset as number) >= 0 &&
    (length as number) > 0
  );
}

import type { IncomingMessage } from '../../src/core/messages';
import { STALE_BUTTON_ACTION } from '../button-ids';
import {
  bodyOf,
  ownMentions,
  repliesToBot,
  withoutMentions,
  type BotIdentity,
  type MessageBody,
} from './addressing';
import type {
  TelegramCallbackQuery,
  TelegramChat,
  TelegramMessage,
  TelegramUpdate,
  TelegramUser,
} from './update-shape';

/** Where the replies to one turn go; kept apart from IncomingMessage so raw ids stay in the adapter. */
export interface ReplyTarget {
  readonly chatId: number;
  readonly speakerId: number;
  readonly isPrivateChat: boolean;
}

export type IgnoreReason =
  | 'unsupported-update'
  | 'no-person'
  | 'addressed-to-another-bot'
  | 'not-addressed-to-bot'
  | 'service-message'
  | 'media-in-group'
  | 'unknown-action';

export type MappedUpdate =
  | {
      readonly kind: 'turn';
      readonly message: IncomingMessage;
      readonly target: ReplyTarget;
      readonly callbackQueryId?: string;
    }
  | { readonly kind: 'ignored'; readonly reason: IgnoreReason; readonly callbackQueryId?: string }
  | { readonly kind: 'malformed'; readonly callbackQueryId?: string };

export interface MappingContext {
  /**
   * Our own username and id: to tell `/privacy@ThisBot` from `/privacy@SomeOtherBot`, and in
   * groups to find what is addressed to us (a mention, or a reply to one of our messages).
   */
  readonly bot: BotIdentity;
  /** Callback queries carry no date of their own. */
  readonly now: Date;
  /** Turns callback_data back into the engine's action id (see ../button-ids.ts). */
  readonly resolveAction: (callbackData: string) => string;
}

/**
 * Content a person sends that the engine cannot read. A caption under it is what they wrote and is
 * read as the message text. Without one, in a private chat it becomes a turn with neither text
 * nor action, so the engine can say it only understands text; the content itself is never read.
 * In a group it is skipped: a sticker there is rarely meant for the bot, and a reply to each one
 * would be noise. Anything else without text is a service message (member joined, pinned, ...)
 * and is skipped too.
 */
const MEDIA_FIELDS = [
  'photo',
  'sticker',
  'voice',
  'video',
  'video_note',
  'audio',
  'document',
  'animation',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
  'story',
] as const;

/**
 * One Bot API update to one neutral turn, or a reason to skip it. Only `message` and
 * `callback_query` make turns. Edited messages are skipped because the original was already
 * answered and re-running it would answer twice; channel posts and other update kinds carry no
 * person to answer. allowed_updates keeps most of them from arriving; this is the fallback.
 */
export function toIncoming(update: TelegramUpdate, context: MappingContext): MappedUpdate {
  if (update.message) return fromMessage(update, update.message, context);
  if (update.callback_query) return fromCallbackQuery(update, update.callback_query, context);
  return { kind: 'ignored', reason: 'unsupported-update' };
}

function fromMessage(
  update: TelegramUpdate,
  message: TelegramMessage,
  context: MappingContext,
): MappedUpdate {
  const { chat, from: speaker } = message;
  if (!isValidChat(chat) || !isValidUser(speaker) || typeof message.date !== 'number') {
    return { kind: 'malformed' };
  }
  // A chat speaking (anonymous admin, linked channel), another bot or this bot itself: nobody to
  // ask for consent, and the anonymous-admin placeholder user is shared by every anonymous admin.
  if (message.sender_chat !== undefined || !isPerson(speaker, context.bot)) {
    return { kind: 'ignored', reason: 'no-person' };
  }
  if (!isOwnChat(chat, speaker)) return { kind: 'malformed' };

  const isPrivateChat = chat.type === 'private';
  const body = bodyOf(message);
  let text: string | undefined;
  if (body !== undefined) {
    const read = readText(message, body, isPrivateChat, context.bot);
    if ('reason' in read) return { kind: 'ignored', reason: read.reason };
    text = read.text;
  } else if (!MEDIA_FIELDS.some((field) => field in message)) {
    return { kind: 'ignored', reason: 'service-message' };
  } else if (!isPrivateChat) {
    return { kind: 'ignored', reason: 'media-in-group' };
  }

  return {
    kind: 'turn',
    target: { chatId: chat.id, speakerId: speaker.id, isPrivateChat },
    message: {
      ...neutralBase(update, chat, speaker, new Date(message.date * 1000)),
      ...(text === undefined ? {} : { text }),
    },
  };
}

/**
 * The text the engine gets, or why there is none. In a group only what is addressed to the bot
 * counts (Telegram's own privacy-mode rule): a command for it, a mention of it, a reply to one of
 * its messages. Chatter between people is never stored or answered, and an opt-out word said to
 * someone else withdraws nothing.
 */
function readText(
  message: TelegramMessage,
  body: MessageBody,
  isPrivateChat: boolean,
  bot: BotIdentity,
): { readonly text: string } | { readonly reason: IgnoreReason } {
  const mentions = ownMentions(body, bot);
  const text = normaliseCommand(
    mentions.length > 0 ? withoutMentions(body.text, mentions) : body.text,
    bot.username,
  );
  if (text === undefined) return { reason: 'addressed-to-another-bot' };
  const addressed = COMMAND.test(body.text) || mentions.length > 0 || repliesToBot(message, bot);
  if (!isPrivateChat && !addressed) return { reason: 'not-addressed-to-bot' };
  return { text };
}

function fromCallbackQuery(
  update: TelegramUpdate,
  query: TelegramCallbackQuery,
  context: MappingContext,
): MappedUpdate {
  if (typeof query.id !== 'string') return { kind: 'malformed' };
  const callbackQueryId = query.id;
  const chat = query.message?.chat;
  const speaker = query.from;
  if (!isValidChat(chat) || !isValidUser(speaker) || !isOwnChat(chat, speaker))
    return { kind: 'malformed', callbackQueryId };
  if (!isPerson(speaker, context.bot)) return { kind: 'ignored', reason: 'no-person', callbackQueryId };
  // No data (a game button) or unresolvable data (a token from before a restart) still make a
  // turn: the engine answers "that button no longer works" in the person's language.
  const action = typeof query.data === 'string' ? context.resolveAction(query.data) : STALE_BUTTON_ACTION;

  return {
    kind: 'turn',
    callbackQueryId,
    target: { chatId: chat.id, speakerId: speaker.id, isPrivateChat: chat.type === 'private' },
    message: { ...neutralBase(update, chat, speaker, context.now), action },
  };
}

function neutralBase(
  update: TelegramUpdate,
  chat: ValidChat,
  speaker: ValidUser,
  receivedAt: Date,
): IncomingMessage {
  return {
    channel: 'telegram',
    conversationKey: String(chat.id),
    userKey: String(speaker.id),
    isPrivateChat: chat.type === 'private',
    receivedAt,
    raw: update,
    ...(typeof speaker.language_code === 'string' && speaker.language_code !== ''
      ? { localeHint: speaker.language_code }
      : {}),
  };
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?=\s|$)/;

/**
 * `/Privacy@ThisBot now` becomes `/privacy now`, so the engine routes one spelling. Returns
 * undefined for a command addressed to another bot in the same group: it is not ours to answer.
 */
export function normaliseCommand(text: string, botUsername: string | undefined): string | undefined {
  const match = COMMAND.exec(text);
  if (!match) return text;
  const [whole, name = '', addressee] = match;
  if (addressee && botUsername && addressee.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return `/${name.toLowerCase()}${text.slice(whole.length)}`;
}

type ValidChat = TelegramChat & { readonly id: number; readonly type: string };
type ValidUser = TelegramUser & { readonly id: number };

function isValidChat(chat: TelegramChat | undefined): chat is ValidChat {
  return typeof chat?.id === 'number' && typeof chat.type === 'string';
}

function isValidUser(user: TelegramUser | undefined): user is ValidUser {
  return typeof user?.id === 'number';
}

/** Neither a bot account nor this bot itself (its own id, whatever flags an update carries). */
function isPerson(user: ValidUser, bot: BotIdentity): boolean {
  return user.is_bot !== true && (bot.id === undefined || user.id !== bot.id);
}

/**
 * A private chat is the speaker's own one-to-one chat with the bot, so its id is theirs. An
 * update claiming otherwise is forged: replies (an export among them) would go to someone else.
 */
function isOwnChat(chat: ValidChat, speaker: ValidUser): boolean {
  return chat.type !== 'private' || chat.id === speaker.id;
}

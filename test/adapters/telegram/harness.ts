import type { Update } from 'telegraf/types';
import type { TurnHandler } from '../../../src/core/channel';
import type { IncomingMessage, OutgoingMessage } from '../../../src/core/messages';
import { createLogger, type Logger } from '../../../src/logging/logger';
import type { BotCommandSpec } from '../../../adapters/telegram/commands';
import { TEST_BOT_INFO } from '../../support/telegram-bot-api-double';

/** A logger whose JSON lines the test can read, to check what is (and is not) logged. */
export function capturingLogger(): {
  logger: Logger;
  entries: () => Record<string, unknown>[];
  raw: () => string;
} {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return {
    logger,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    raw: () => lines.join(''),
  };
}

/** Stands in for the engine: records each turn and answers from a script. */
export function recordingHandler(script: (message: IncomingMessage) => OutgoingMessage[] = () => []): {
  handler: TurnHandler;
  received: IncomingMessage[];
} {
  const received: IncomingMessage[] = [];
  const handler: TurnHandler = (message) => {
    received.push(message);
    return Promise.resolve(script(message));
  };
  return { handler, received };
}

export const COMMANDS: BotCommandSpec[] = [
  {
    command: 'privacy',
    description: {
      en: 'Privacy and your data',
      de: 'Datenschutz und deine Daten',
      es: 'Privacidad y tus datos',
      fr: 'Confidentialité et vos données',
    },
  },
  {
    command: 'delete',
    description: {
      en: 'Delete my data',
      de: 'Meine Daten löschen',
      es: 'Borrar mis datos',
      fr: 'Supprimer mes données',
    },
  },
];

export const PERSON = { id: 424242, is_bot: false, first_name: 'Ada', language_code: 'de' };
export const PRIVATE_CHAT = { id: PERSON.id, type: 'private', first_name: 'Ada' };
export const GROUP_CHAT = { id: -100987, type: 'group', title: 'Team' };
export const SUPERGROUP_CHAT = { id: -1001234567, type: 'supergroup', title: 'Big team' };
/** Another member of the groups above. */
export const OTHER_PERSON = { id: 515151, is_bot: false, first_name: 'Grace', username: 'grace' };
/** As the bot's own messages come back inside reply_to_message. */
export const BOT_AS_SENDER = {
  id: TEST_BOT_INFO.id,
  is_bot: true,
  first_name: TEST_BOT_INFO.first_name,
  username: TEST_BOT_INFO.username,
};
/** 2026-11-05T10:00:00Z, as Telegram sends it: seconds. */
export const SENT_AT = 1793872800;

let nextUpdateId = 1000;

export function messageUpdate(fields: Record<string, unknown>, chat: object = PRIVATE_CHAT): Update {
  return {
    update_id: nextUpdateId++,
    message: { message_id: nextUpdateId, date: SENT_AT, chat, from: PERSON, ...fields },
  } as unknown as Update;
}

export function textUpdate(text: string, chat: object = PRIVATE_CHAT): Update {
  return messageUpdate({ text }, chat);
}

/**
 * A message naming someone as Telegram marks it: `@name` gets a `mention` entity, a person without
 * a username a `text_mention` carrying the user. UTF-16 offsets, as Telegram counts them.
 */
export function mentioningUpdate(
  text: string,
  named: string,
  chat: object = GROUP_CHAT,
  asTextMention?: { id: number },
): Update {
  const offset = text.indexOf(named);
  if (offset < 0) throw new Error(`"${named}" is not in "${text}"`);
  const entity = asTextMention
    ? { type: 'text_mention', offset, length: named.length, user: { ...asTextMention, is_bot: true } }
    : { type: 'mention', offset, length: named.length };
  return messageUpdate({ text, entities: [entity] }, chat);
}

/** A message answering an earlier one by `author` (the bot, or another member). */
export function replyUpdate(text: string, author: object, chat: object = GROUP_CHAT): Update {
  const original = { message_id: 1, date: SENT_AT, chat, from: author, text: 'earlier message' };
  return messageUpdate({ text, reply_to_message: original }, chat);
}

export function callbackUpdate(data: string, chat: object = PRIVATE_CHAT): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cbq-${nextUpdateId}`,
      from: PERSON,
      chat_instance: 'ci-1',
      data,
      message: { message_id: 1, date: SENT_AT, chat, text: 'earlier reply' },
    },
  } as unknown as Update;
}

export function otherUpdate(fields: Record<string, unknown>): Update {
  return { update_id: nextUpdateId++, ...fields } as unknown as Update;
}

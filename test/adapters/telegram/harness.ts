import type { Update } from 'telegraf/types';
import type { TurnHandler } from '../../../src/core/channel';
import type { IncomingMessage, OutgoingMessage } from '../../../src/core/messages';
import { createLogger, type Logger } from '../../../src/logging/logger';
import type { BotCommandSpec } from '../../../adapters/telegram/commands';

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

import fc from 'fast-check';
import {
  ButtonIdCodec,
  STALE_BUTTON_ACTION,
  TELEGRAM_CALLBACK_DATA_MAX_BYTES,
} from '../../adapters/button-ids';
import { toIncoming } from '../../adapters/telegram/to-incoming';
import type { TelegramUpdate } from '../../adapters/telegram/update-shape';
import { FUZZ_TIMEOUT_MS, assertProperty } from './fuzz-config';
import { corrupted, hostileText, sometimes, withoutUndefined, wrongType } from './hostile';
import { problemsOf } from './neutral-message';

/**
 * Issue 12, item 8: hostile and malformed Bot API updates through the Telegram mapping
 * (adapters/telegram/to-incoming.ts toIncoming), as a webhook body or a getUpdates answer would
 * bring them: any field missing or of the wrong type, huge, control and bidi text, forged
 * callback data, updates from bots, and updates that name other people (a reply to someone, a
 * forward, a mention). The mapping is tested by its exported contract only, so the properties
 * hold whatever its internals become.
 */

const BOT_ID = 7_000_000_001;
const BOT_USERNAME = 'PrivacyTestBot';
const NOW = new Date('2026-11-05T10:00:00Z');

/** Id ranges that never overlap, so "who is the speaker" can be told from the id alone. */
const personId = fc.integer({ min: 1, max: 999_999 });
const otherPersonId = fc.integer({ min: 2_000_000, max: 2_999_999 });
const otherBotId = fc.integer({ min: 8_000_000_000, max: 8_000_999_999 });
const groupChatId = fc.integer({ min: -1_999_999_999_999, max: -1 });

/** Passed on to the engine as the locale hint, so its wrong types are generated on purpose. */
const languageCode = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('en', 'de', 'es-ES', 'fr', 'pt-br', 'xx', '', 'DE', 'de\u202e') },
  { weight: 3, arbitrary: hostileText(8) },
  { weight: 1, arbitrary: wrongType },
) as fc.Arbitrary<string>;

interface User {
  readonly id: number;
  readonly is_bot: boolean;
  readonly first_name?: string;
  readonly username?: string;
  readonly language_code?: string;
}

function user(id: fc.Arbitrary<number>, isBot: boolean): fc.Arbitrary<User> {
  return fc
    .record({
      id,
      is_bot: fc.constant(isBot),
      first_name: hostileText(12),
      username: sometimes(hostileText(12), 2),
      language_code: sometimes(languageCode, 2),
    })
    .map((fields) => withoutUndefined(fields) as User);
}

const person = user(personId, false);
const otherPerson = user(otherPersonId, false);
const ourBot = user(fc.constant(BOT_ID), true);
const aBot = fc.oneof(ourBot, user(otherBotId, true));
/** Who sends: mostly a person, sometimes a bot (ours or another). */
const sender = fc.oneof({ weight: 5, arbitrary: person }, { weight: 1, arbitrary: aBot });

/** The sender's own private chat, a group, or (forged) someone else's private chat. */
function chatOf(from: User): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ id: from.id, type: 'private' }) },
    {
      weight: 4,
      arbitrary: fc.record({
        id: groupChatId,
        type: fc.oneof(fc.constantFrom('group', 'supergroup', 'channel'), hostileText(6)),
        title: hostileText(10),
      }),
    },
    { weight: 1, arbitrary: otherPersonId.map((id) => ({ id, type: 'private' })) },
  );
}

const randomEntity = fc.record({
  type: fc.constantFrom('mention', 'text_mention', 'bot_command', 'bold', 'url'),
  offset: fc.integer({ min: -5, max: 60 }),
  length: fc.integer({ min: -1, max: 40 }),
  user: sometimes(fc.oneof(person, otherPerson, aBot), 2),
});

/** What a person writes, sometimes addressed to the bot the ways Telegram marks it. */
const body = fc.oneof(
  { weight: 3, arbitrary: hostileText(60).map((text) => ({ text })) },
  {
    weight: 2,
    arbitrary: fc.tuple(hostileText(12), hostileText(20)).map(([before, after]) => ({
      text: `${before}@${BOT_USERNAME} ${after}`,
      entities: [{ type: 'mention', offset: before.length, length: BOT_USERNAME.length + 1 }],
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          '/privacy',
          '/delete',
          '/stop',
          '/export',
          `/privacy@${BOT_USERNAME}`,
          '/start@SomeOtherBot',
        ),
        hostileText(15),
      )
      .map(([command, rest]) => ({ text: `${command} ${rest}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileText(40), fc.array(randomEntity, { maxLength: 3 }))
      .map(([text, entities]) => ({ text, entities })),
  },
  { weight: 1, arbitrary: hostileText(30).map((caption) => ({ caption, photo: [{ file_id: 'x' }] })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { photo: [{ file_id: 'x' }] },
      { sticker: { file_id: 'x' } },
      { location: { latitude: 0, longitude: 0 } },
      {},
    ),
  },
);

/** A message that may also name other people and bots besides its sender. */
const message = sender.chain((from) =>
  fc
    .record({
      message_id: fc.nat(),
      date: fc.integer({ min: 0, max: 2_000_000_000 }),
      chat: chatOf(from),
      body,
      reply_to_message: sometimes(
        fc
          .record({ from: fc.oneof(otherPerson, aBot), forum_topic_created: sometimes(fc.constant({}), 3) })
          .map(withoutUndefined),
        3,
      ),
      sender_chat: sometimes(fc.record({ id: groupChatId, type: fc.constant('channel') })),
      forward_from: sometimes(otherPerson),
      forward_origin: sometimes(fc.record({ type: fc.constant('user'), sender_user: otherPerson })),
      via_bot: sometimes(aBot),
    })
    .map(({ body: content, ...fields }) => withoutUndefined({ ...fields, from, ...content })),
);

const knownActions = [
  'consent:all:en',
  'consent:none:de',
  'consent:age:111:adult:en',
  'consent:custom:101:fr',
  'delete:confirm:abc',
  'delete:cancel',
  'language:set:de',
];
/** Long ids only reachable through a token this process minted. */
const tokens = new ButtonIdCodec(TELEGRAM_CALLBACK_DATA_MAX_BYTES, 4);
const longIds = Array.from({ length: 6 }, (_, i) => `consent:save:111:en:${'x'.repeat(60)}${i}`);
const minted = longIds.map((id) => tokens.encode(id).id);

const callbackData = fc.oneof(
  fc.constantFrom(...knownActions, ...minted),
  fc.string({ maxLength: 32 }).map((s) => `~${s}`),
  hostileText(64),
);

const callbackQuery = sender.chain((from) =>
  fc
    .record({
      id: fc.string({ minLength: 1, maxLength: 12 }),
      data: callbackData,
      chat_instance: fc.string({ maxLength: 8 }),
      // The message the button was on: the bot's own, or forged as someone else's.
      message: chatOf(from).chain((chat) =>
        fc.record({ chat: fc.constant(chat), from: fc.oneof(ourBot, otherPerson), text: hostileText(10) }),
      ),
    })
    .map((fields) => ({ ...fields, from })),
);

const update: fc.Arbitrary<TelegramUpdate> = corrupted(
  fc
    .tuple(
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.oneof(
        { weight: 4, arbitrary: message.map((m) => ({ message: m })) },
        { weight: 3, arbitrary: callbackQuery.map((q) => ({ callback_query: q })) },
        { weight: 1, arbitrary: message.map((m) => ({ edited_message: m })) },
        { weight: 1, arbitrary: message.map((m) => ({ channel_post: m })) },
        { weight: 1, arbitrary: fc.record({ message, callback_query: callbackQuery }) },
      ),
    )
    .map(([updateId, parts]) => ({ update_id: updateId, ...parts })),
) as fc.Arbitrary<unknown> as fc.Arbitrary<TelegramUpdate>;

const context = {
  bot: { username: BOT_USERNAME, id: BOT_ID },
  // Older shape of the context, for as long as the mapping reads it.
  botUsername: BOT_USERNAME,
  now: NOW,
  resolveAction: (data: string) => tokens.decode(data),
} as unknown as Parameters<typeof toIncoming>[1];

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The part of the update the mapping reads first (a message wins over a callback query), and its sender. */
function sourceOf(u: TelegramUpdate): {
  source: Raw | undefined;
  from: Raw | undefined;
  viaCallback: boolean;
} {
  const raw = u as unknown as Raw;
  const viaCallback = !raw.message;
  const source = viaCallback ? raw.callback_query : raw.message;
  if (!isRecord(source)) return { source: undefined, from: undefined, viaCallback };
  return { source, from: isRecord(source.from) ? source.from : undefined, viaCallback };
}

/** The mapped turn and the raw parts behind it, for the properties below. */
function mapped(u: TelegramUpdate) {
  const result = toIncoming(u, context);
  if (result.kind !== 'turn') return undefined;
  const { source, from, viaCallback } = sourceOf(u);
  const chat = viaCallback ? (source?.message as Raw | undefined)?.chat : source?.chat;
  return { result, from, chat: chat as Raw | undefined, source: source!, viaCallback };
}

const property = (name: string, runs: number, predicate: (u: TelegramUpdate) => boolean) =>
  it(name, () => assertProperty(`telegram: ${name}`, runs, update, predicate), FUZZ_TIMEOUT_MS);

describe('Telegram update mapping under hostile input (issue 12, item 8)', () => {
  property('never throws, whatever the update holds', 200, (u) => toIncoming(u, context).kind === 'turn');

  property(
    'never makes a bot the speaker: a message or a button press from an account flagged is_bot',
    200,
    (u) => {
      const turn = mapped(u);
      if (turn) expect(turn.from?.is_bot).not.toBe(true);
      return sourceOf(u).from?.is_bot === true;
    },
  );

  property('never makes the bot itself the speaker (its own id, even without the is_bot flag)', 200, (u) => {
    const turn = mapped(u);
    if (turn) expect(turn.result.message.userKey).not.toBe(String(BOT_ID));
    return sourceOf(u).from?.id === BOT_ID;
  });

  property('makes the sender the speaker, never someone the update merely names', 200, (u) => {
    const turn = mapped(u);
    if (!turn) return false;
    // A chat speaking (anonymous admin, channel) is nobody's turn.
    if (!turn.viaCallback) expect(turn.source.sender_chat).toBeUndefined();
    expect(typeof turn.from?.id).toBe('number');
    expect(turn.result.message.userKey).toBe(String(turn.from!.id));
    expect(turn.result.target.speakerId).toBe(turn.from!.id);
    return true;
  });

  property('hands the engine a well-formed neutral message', 200, (u) => {
    const turn = mapped(u);
    if (!turn) return false;
    expect(problemsOf(turn.result.message)).toEqual([]);
    expect(turn.result.message.channel).toBe('telegram');
    return true;
  });

  property('calls a chat private only when it is the speaker’s own one-to-one chat', 200, (u) => {
    const turn = mapped(u);
    if (!turn || !turn.result.message.isPrivateChat) return false;
    expect(turn.chat?.type).toBe('private');
    // Bot API: a private chat's id is the other party's user id. Replies (an export, say) go to
    // chat.id; they must go to the person whose data it is.
    expect(turn.result.target.chatId).toBe(turn.from?.id);
    return true;
  });

  property('turns a button press into an action only for data it issued or could have issued', 200, (u) => {
    const turn = mapped(u);
    if (!turn?.viaCallback) return false;
    const data = turn.source.data;
    const action = turn.result.message.action;
    // Without data, or with a token this process did not mint, the press is a stale button.
    if (typeof data !== 'string') expect(action).toBe(STALE_BUTTON_ACTION);
    else if (data.startsWith('~') && action !== STALE_BUTTON_ACTION) expect(longIds).toContain(action);
    else if (!data.startsWith('~')) expect(action).toBe(data);
    expect(turn.result.message.text).toBeUndefined();
    return true;
  });
});

import { InteractionContextType, MessageType } from 'discord.js';
import fc from 'fast-check';
import { ButtonIdCodec, DISCORD_CUSTOM_ID_MAX_CHARS, STALE_BUTTON_ACTION } from '../../adapters/button-ids';
import {
  type CommandFields,
  type GuildFields,
  type InteractionFields,
  type MessageFields,
  fromButton,
  fromCommand,
  fromGuildJoin,
  fromMessage,
} from '../../adapters/discord/mapping';
import { FUZZ_TIMEOUT_MS, assertProperty } from './fuzz-config';
import { TOKENS, hostileText } from './hostile';
import { problemsOf } from './neutral-message';

/**
 * Issue 12, item 8: hostile Discord events through the mapping (adapters/discord/mapping.ts).
 * Discord objects reach the mapping already built by discord.js from the gateway, so their field
 * types are discord.js's; what is hostile is their content and combination: bots and webhooks
 * speaking, the bot's own messages, messages that mention or reply to other people, guild
 * chatter, huge and control/bidi text, unknown message types and contexts, forged button ids.
 */

const BOT_ID = '900000000000000001';
const snowflake = (first: string) => fc.stringMatching(/^[0-9]{17}$/).map((digits) => `${first}${digits}`);
const personId = snowflake('1');
const otherPersonId = snowflake('2');
const otherBotId = snowflake('8');
const channelId = snowflake('3');
const guildId = snowflake('4');

/** Text with the bot's and other people's mentions spliced in, in every spelling. */
const content = fc.oneof(
  { weight: 3, arbitrary: hostileText(50) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.oneof(
          hostileText(8),
          fc.constantFrom(`<@${BOT_ID}>`, `<@!${BOT_ID}>`, `<@${BOT_ID}`, `<@&${BOT_ID}>`, '@everyone'),
          otherPersonId.map((id) => `<@${id}>`),
          fc.constantFrom(...TOKENS),
        ),
        { maxLength: 6 },
      )
      .map((parts) => parts.join(' ')),
  },
);

interface Spoken {
  readonly message: MessageFields;
  readonly mentioned: ReadonlySet<string>;
}

const author = fc.oneof(
  { weight: 6, arbitrary: fc.record({ id: personId, bot: fc.constant(false) }) },
  { weight: 2, arbitrary: fc.record({ id: otherBotId, bot: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ id: fc.constant(BOT_ID), bot: fc.boolean() }) },
  // A user account that says it is not a bot but is one by id: the platform's flag decides.
  { weight: 1, arbitrary: fc.record({ id: otherBotId, bot: fc.constant(false) }) },
);

const spoken: fc.Arbitrary<Spoken> = fc
  .record({
    type: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(MessageType.Default, MessageType.Reply) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 50 }) },
    ),
    content,
    channelId,
    guildId: fc.option(guildId, { nil: null, freq: 2 }),
    createdAt: fc.date(),
    system: fc.oneof(
      { weight: 6, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    webhookId: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: snowflake('5') },
    ),
    author,
    mentioned: fc.uniqueArray(fc.oneof(fc.constant(BOT_ID), fc.constant(BOT_ID), otherPersonId, otherBotId), {
      maxLength: 3,
    }),
    repliedUser: fc.option(fc.record({ id: fc.oneof(fc.constant(BOT_ID), otherPersonId, otherBotId) }), {
      nil: null,
    }),
  })
  .map(({ mentioned, repliedUser, ...fields }) => {
    const set = new Set(mentioned);
    return {
      mentioned: set,
      message: { ...fields, mentions: { users: { has: (id: string) => set.has(id) }, repliedUser } },
    };
  });

const routing = fc.record({
  botUserId: fc.constant(BOT_ID),
  guildMessages: fc.oneof(
    { weight: 3, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
});

const interaction: fc.Arbitrary<InteractionFields> = fc.record({
  channelId: fc.option(channelId, { nil: null, freq: 8 }),
  guildId: fc.option(guildId, { nil: null }),
  context: fc.option(
    fc.constantFrom(
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ),
    { nil: null },
  ),
  locale: fc.oneof(fc.constantFrom('de', 'en-US', 'es-ES', 'fr', 'pt-BR', 'zz'), hostileText(6)),
  user: fc.record({ id: personId }),
  createdAt: fc.date(),
});

const command: fc.Arbitrary<CommandFields> = fc
  .tuple(
    interaction,
    fc.oneof(fc.constantFrom('privacy', 'delete', 'language', 'export', 'remember', 'stop'), hostileText(12)),
    fc.array(
      fc.record(
        { value: fc.oneof(hostileText(40), fc.integer(), fc.double(), fc.boolean()) },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  )
  .map(([base, commandName, data]) => ({ ...base, commandName, options: { data } }));

/** Ids this process issued as tokens, and custom_ids anyone could send. */
const codec = new ButtonIdCodec(DISCORD_CUSTOM_ID_MAX_CHARS, 4);
const longIds = Array.from({ length: 6 }, (_, i) => `consent:save:111:en:${'y'.repeat(90)}${i}`);
const issued = longIds.map((id) => codec.encode(id).id);
const customId = fc.oneof(
  fc.constantFrom('consent:all:en', 'delete:confirm:abc', 'consent:age:111:adult:de', ...issued),
  fc.string({ maxLength: 40 }).map((s) => `~${s}`),
  hostileText(100),
);

const guild: fc.Arbitrary<GuildFields> = fc.record({
  id: guildId,
  systemChannelId: fc.option(channelId, { nil: null }),
  preferredLocale: fc.oneof(fc.constantFrom('de', 'en-US'), hostileText(6)),
  joinedAt: fc.date(),
});

function check<T>(name: string, runs: number, arb: fc.Arbitrary<T>, predicate: (value: T) => boolean): void {
  it(name, () => assertProperty(`discord: ${name}`, runs, arb, predicate), FUZZ_TIMEOUT_MS);
}

describe('Discord message mapping under hostile input (issue 12, item 8)', () => {
  check('never throws', 200, fc.tuple(spoken, routing), ([{ message }, route]) => {
    return fromMessage(message, route) !== undefined;
  });

  check(
    'never makes a bot, a webhook, a system notice or the bot itself the speaker',
    200,
    fc.tuple(spoken, routing),
    ([{ message }, route]) => {
      if (fromMessage(message, route)) {
        expect(message.author.bot).toBe(false);
        expect(message.author.id).not.toBe(BOT_ID);
        expect(message.webhookId).toBeNull();
        expect(message.system).toBe(false);
      }
      return message.author.bot || message.author.id === BOT_ID || message.webhookId !== null;
    },
  );

  check(
    'makes the author the speaker, never someone mentioned or replied to',
    200,
    fc.tuple(spoken, routing),
    ([{ message }, route]) => {
      const incoming = fromMessage(message, route);
      if (!incoming) return false;
      expect(incoming.userKey).toBe(message.author.id);
      expect(incoming.conversationKey).toBe(message.channelId);
      return true;
    },
  );

  check(
    'keeps guild chatter out: only what is addressed to the bot, and only when guild messages are on',
    200,
    fc.tuple(spoken, routing),
    ([{ message, mentioned }, route]) => {
      const incoming = fromMessage(message, route);
      if (!incoming) return false;
      expect(incoming.isPrivateChat).toBe(message.guildId === null);
      if (message.guildId === null) return false;
      expect(route.guildMessages).toBe(true);
      expect(mentioned.has(BOT_ID) || message.mentions.repliedUser?.id === BOT_ID).toBe(true);
      return true;
    },
  );

  check(
    'hands the engine a well-formed message without the bot’s own mention',
    200,
    fc.tuple(spoken, routing),
    ([{ message }, route]) => {
      const incoming = fromMessage(message, route);
      if (!incoming) return false;
      expect(problemsOf(incoming)).toEqual([]);
      expect(incoming.text).not.toMatch(new RegExp(`<@!?${BOT_ID}>`));
      expect(incoming.text?.trim()).not.toBe('');
      return true;
    },
  );
});

describe('Discord interaction and guild mapping under hostile input (issue 12, item 8)', () => {
  check(
    'a slash command: never throws, the invoking user speaks, private only in a bot DM',
    200,
    command,
    (c) => {
      const incoming = fromCommand(c);
      if (!incoming) {
        expect(c.channelId).toBeNull();
        return false;
      }
      expect(problemsOf(incoming)).toEqual([]);
      expect(incoming.userKey).toBe(c.user.id);
      expect(incoming.text?.startsWith(`/${c.commandName}`)).toBe(true);
      expect(incoming.action).toBeUndefined();
      if (incoming.isPrivateChat) {
        expect(c.context === InteractionContextType.BotDM || (c.context === null && c.guildId === null)).toBe(
          true,
        );
      }
      return true;
    },
  );

  check(
    'a button: forged custom_ids never resolve to an id this process did not issue; the presser speaks',
    200,
    fc.tuple(interaction, customId),
    ([i, id]) => {
      const decoded = codec.decode(id);
      if (id.startsWith('~')) {
        if (decoded !== STALE_BUTTON_ACTION) expect(longIds).toContain(decoded);
      } else expect(decoded).toBe(id);
      const incoming = fromButton(i, decoded);
      if (!incoming) return false;
      expect(problemsOf(incoming)).toEqual([]);
      expect(incoming.userKey).toBe(i.user.id);
      expect(incoming.text).toBeUndefined();
      return true;
    },
  );

  check('joining a guild: never private, never a text or an action, the guild stands in', 200, guild, (g) => {
    const incoming = fromGuildJoin(g);
    if (!incoming) return false;
    expect(problemsOf(incoming)).toEqual([]);
    expect(incoming).toMatchObject({
      isPrivateChat: false,
      event: 'conversation-started',
      userKey: `guild:${g.id}`,
    });
    expect(incoming.text).toBeUndefined();
    expect(incoming.action).toBeUndefined();
    return true;
  });
});

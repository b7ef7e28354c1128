import fc from 'fast-check';
import { isActivityEnvelope } from '../../adapters/teams/activity-shape';
import { routeActivity } from '../../adapters/teams/map-activity';
import type { IncomingMessage } from '../../src/core/messages';
import { FUZZ_TIMEOUT_MS, assertProperty, fuzzParameters } from './fuzz-config';
import { TOKENS, corrupted, hostileText, sometimes, withoutUndefined, wrongType } from './hostile';
import { problemsOf } from './neutral-message';

/**
 * Issue 12, item 8: hostile and malformed Bot Framework activities, as a POST to /api/messages
 * would bring them, through the Teams adapter's own checks and mapping: isActivityEnvelope (what
 * is worth handing on at all) and routeActivity (adapters/teams/map-activity.ts). Any field
 * missing or of the wrong type, huge, control and bidi text, forged mentions and button values,
 * activities from bots (the bot's own id, `role: bot`), from other channels, and activities that
 * name other people (mentions, members added).
 */

type Raw = Record<string, unknown>;

const BOT = '28:bot-app-id';
const NOW = new Date('2026-11-05T10:00:00Z');

const personId = fc.stringMatching(/^[a-z0-9-]{1,12}$/).map((s) => `29:person-${s}`);
const otherPersonId = fc.stringMatching(/^[a-z0-9-]{1,12}$/).map((s) => `29:other-${s}`);
const otherBotId = fc.stringMatching(/^[a-z0-9-]{1,12}$/).map((s) => `28:otherbot-${s}`);
const aadId = fc.uuid().map((id) => `aad-${id}`);

const from = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        id: personId,
        aadObjectId: sometimes(aadId, 1.25),
        role: sometimes(fc.constant('user'), 2),
        name: hostileText(8),
      })
      .map(withoutUndefined),
  },
  { weight: 1, arbitrary: fc.record({ id: otherBotId, role: fc.constant('bot'), name: hostileText(8) }) },
  { weight: 1, arbitrary: fc.record({ id: fc.constant(BOT), role: fc.constantFrom('bot', 'user') }) },
);

const conversation = fc.oneof(
  fc.record({
    id: fc.constant('a:personal-1'),
    conversationType: fc.constant('personal'),
    tenantId: fc.uuid(),
  }),
  fc.record({
    id: fc.constantFrom('19:group@thread.v2', '19:channel@thread.tacv2;messageid=1'),
    conversationType: fc.constantFrom('groupChat', 'channel'),
    isGroup: fc.constant(true),
    tenantId: fc.uuid(),
  }),
  // The Emulator and Web Chat say nothing, or only isGroup.
  fc.record({ id: hostileText(12), isGroup: fc.boolean() }, { requiredKeys: ['id'] }),
);

const mentionOf = (id: fc.Arbitrary<string>, text: fc.Arbitrary<string>) =>
  fc.record({ type: fc.constant('mention'), text, mentioned: fc.record({ id, name: hostileText(6) }) });
const botMention = mentionOf(fc.constant(BOT), fc.constant('<at>PrivacyBot</at>'));
const entities = fc.array(
  fc.oneof(
    botMention,
    mentionOf(fc.oneof(otherPersonId, otherBotId), fc.constantFrom('<at>Ana</at>', '<at>OtherBot</at>')),
    // A mention whose text is not a mention at all: stripping it must not change who speaks.
    mentionOf(fc.constant(BOT), fc.oneof(fc.constantFrom('the', ' ', ''), hostileText(4))),
    fc.record({ type: fc.constant('clientInfo'), locale: fc.constant('de-DE') }),
  ),
  { maxLength: 3 },
);

const text = fc.oneof(
  hostileText(50),
  fc
    .array(fc.oneof(hostileText(8), fc.constantFrom(...TOKENS, '<at>PrivacyBot</at>', 'privacy', 'delete')), {
      maxLength: 6,
    })
    .map((parts) => parts.join(' ')),
);

const forgedAction = fc.oneof(
  fc.constantFrom('consent:age:111:adult:en', 'delete:confirm:abc', 'consent:all:de'),
  hostileText(20),
  fc.string({ minLength: 120, maxLength: 140 }),
);

const value = fc.oneof(
  fc.record({ action: forgedAction, msteams: fc.constant({}) }),
  fc.record({
    action: fc.record({
      type: fc.constant('Action.Execute'),
      verb: forgedAction,
      data: fc.record({ action: forgedAction }),
    }),
    trigger: fc.constant('manual'),
  }),
  fc.record({
    action: fc.constantFrom('accept', 'decline'),
    context: fc.constant({}),
    uploadInfo: fc.constant({}),
  }),
);

/** What Teams (or someone posing as it) posts: a message, a button press, an invoke, a member added. */
const activity: fc.Arbitrary<Raw> = corrupted(
  fc
    .record({
      type: fc.oneof(
        { weight: 6, arbitrary: fc.constant('message') },
        { weight: 2, arbitrary: fc.constantFrom('conversationUpdate', 'invoke') },
        { weight: 1, arbitrary: fc.constantFrom('typing', 'messageReaction', 'installationUpdate', 'event') },
      ),
      name: sometimes(
        fc.constantFrom('fileConsent/invoke', 'adaptiveCard/action', 'composeExtension/query'),
        2,
      ),
      channelId: fc.constantFrom('msteams', 'msteams', 'emulator', 'webchat', 'directline'),
      serviceUrl: fc.oneof(
        { weight: 6, arbitrary: fc.constant('https://smba.trafficmanager.net/emea/') },
        { weight: 1, arbitrary: fc.constantFrom('not a url', '', 'javascript:alert(1)') },
      ),
      text: sometimes(text, 1.5),
      value: sometimes(value, 3),
      locale: sometimes(fc.oneof(fc.constantFrom('de-DE', 'en-US', 'fr', ''), hostileText(6)), 1.5),
      from,
      recipient: fc.constant({ id: BOT, name: 'PrivacyBot' }),
      conversation,
      entities: sometimes(entities, 1.5),
      membersAdded: sometimes(
        fc.array(fc.record({ id: fc.oneof(fc.constant(BOT), personId, otherBotId) }), { maxLength: 3 }),
      ),
    })
    .map(withoutUndefined),
);

/** The neutral message a route carries (a turn, an Action.Execute), if any. */
function messageOf(body: Raw): IncomingMessage | undefined {
  if (!isActivityEnvelope(body)) return undefined;
  const route = routeActivity(body, NOW) as { kind: string; message?: IncomingMessage };
  return route.message;
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function check(name: string, runs: number, predicate: (body: Raw) => boolean): void {
  it(name, () => assertProperty(`teams: ${name}`, runs, activity, predicate), FUZZ_TIMEOUT_MS);
}

function senderOf(body: Raw): Raw | undefined {
  return isRecord(body.from) ? body.from : undefined;
}

describe('Teams activity mapping under hostile input (issue 12, item 8)', () => {
  check('never throws, whatever the body holds', 200, (body) => {
    if (!isActivityEnvelope(body)) return false;
    routeActivity(body, NOW);
    return true;
  });

  it(
    'never throws on a body that is not even an object',
    () => {
      fc.assert(
        fc.property(fc.oneof(wrongType, fc.jsonValue()), (body) => {
          if (isActivityEnvelope(body)) routeActivity(body, NOW);
        }),
        fuzzParameters('teams: not an object', 200),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  check('never makes the bot itself the speaker', 200, (body) => {
    const message = messageOf(body);
    if (message) {
      expect(senderOf(body)?.id).not.toBe(BOT);
      expect(message.userKey).not.toBe(BOT);
    }
    return isActivityEnvelope(body) && senderOf(body)?.id === BOT;
  });

  check('never makes another bot (from.role "bot") the speaker', 200, (body) => {
    const message = messageOf(body);
    if (message) expect(senderOf(body)?.role).not.toBe('bot');
    return isActivityEnvelope(body) && senderOf(body)?.role === 'bot';
  });

  check('makes the sender the speaker (Entra object id, else from.id), never someone named', 200, (body) => {
    const message = messageOf(body);
    if (!message) return false;
    const sender = senderOf(body)!;
    const aad = sender.aadObjectId;
    expect(message.userKey).toBe(typeof aad === 'string' && aad !== '' ? aad : sender.id);
    expect(message.conversationKey).toBe((body.conversation as Raw).id);
    return true;
  });

  check('hands the engine a well-formed neutral message', 200, (body) => {
    const message = messageOf(body);
    if (!message) return false;
    expect(problemsOf(message)).toEqual([]);
    expect(message.channel).toBe('teams');
    return true;
  });

  check(
    'keeps group and channel chatter out: a group message is a mention of the bot or a button press',
    200,
    (body) => {
      const message = messageOf(body);
      if (!message || message.isPrivateChat || body.type !== 'message') return false;
      const entities = Array.isArray(body.entities) ? (body.entities as unknown[]) : [];
      const mentionsBot = entities.some(
        (entity) =>
          isRecord(entity) &&
          entity.type === 'mention' &&
          isRecord(entity.mentioned) &&
          entity.mentioned.id === BOT,
      );
      expect(mentionsBot || message.action !== undefined).toBe(true);
      return true;
    },
  );
});

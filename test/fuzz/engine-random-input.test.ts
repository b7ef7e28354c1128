import fc from 'fast-check';
import type { ChannelName, IncomingMessage } from '../../src/core/messages';
import { createLogger } from '../../src/logging/logger';
import { consentAction } from '../support/consent-buttons';
import { EVIDENCE_TABLES, PERSONAL_TABLES } from '../support/engine-db-checks';
import { type TestApp, dumpDatabase, startTestApp } from '../support/test-app';
import { FUZZ_TIMEOUT_MS, assertAsyncProperty } from './fuzz-config';
import { canary, hostileText, sometimes } from './hostile';

/**
 * Issue 12, item 8: random and hostile input through the real engine (startTestApp: every step,
 * every dialog, the SQLite files), one new person per run, from any channel, in private chats
 * and in groups, with any locale hint, typed text and forged button ids. Every text, user id
 * and conversation id carries a marker found nowhere else. Properties:
 * - the engine never throws, and every reply is text;
 * - a person who has not decided (no consent record after the run) has nothing stored: no row in
 *   any personal table and no consent ledger entry (a rights request they made is recorded in
 *   the rights ledger, as evidence that it was answered, and holds no content);
 * - no marker is at rest in clear in any table or any byte of the files (the WAL included);
 * - the captured log stream (the product's logger at `trace`) never holds a marker: neither the
 *   message text nor the raw user or conversation id.
 */

const CHANNELS: readonly ChannelName[] = ['console', 'telegram', 'discord', 'teams'];

/** What starts a message: commands, the intent phrases of every language, nothing. */
const LEADS = [
  '',
  '',
  '/',
  '/remember ',
  '/correct ',
  '/language ',
  '/privacy ',
  '/mydata',
  '/delete ',
  '/export ',
  '/consent ',
  '/start ',
  '/help ',
  '/restrict ',
  '/object ',
  'remember that ',
  'call me ',
  'merk dir, dass ',
  'nenn mich ',
  'recuerda que ',
  'appelle-moi ',
  'what did I tell you? ',
  'what do you know about me ',
];

/** Forged button ids: every dialog and verb the bot issues, with arguments nobody issued. */
const forgedAction = fc
  .tuple(
    fc.constantFrom('consent', 'delete', 'language', 'correct', 'object', 'restrict', 'mydata', 'nope', ''),
    fc.constantFrom(
      'all',
      'custom',
      'save',
      'age',
      'confirm',
      'cancel',
      'set',
      'field',
      'purpose',
      'none',
      '',
    ),
    fc.array(
      fc.oneof(
        fc.constantFrom(
          'en',
          'de',
          'xx',
          '000',
          '111',
          '1x1',
          'adult',
          'teen',
          'child',
          'preferredName',
          'history',
        ),
        hostileText(6),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([dialog, verb, args]) => [dialog, verb, ...args].join(':'));

interface Input {
  readonly kind: 'text' | 'action';
  readonly lead: string;
  readonly body: string;
  readonly action: string;
  /** Where the marker goes: the start (a command's name), the middle, or the end. */
  readonly markerAt: number;
}

const input: fc.Arbitrary<Input> = fc.record({
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.constant('text' as const) },
    { weight: 1, arbitrary: fc.constant('action' as const) },
  ),
  lead: fc.oneof(...LEADS.map((lead) => fc.constant(lead))),
  body: hostileText(30),
  action: forgedAction,
  markerAt: fc.integer({ min: 0, max: 2 }),
});

const run = fc.record({
  /** Most people never decide; some accept everything first (so what they say is stored, sealed), some refuse. */
  first: fc.oneof(
    { weight: 3, arbitrary: fc.constant('nothing') },
    { weight: 2, arbitrary: fc.constant('consent:age:111:adult:en') },
    { weight: 1, arbitrary: fc.constant('consent:none:en') },
  ),
  channel: fc.oneof(...CHANNELS.map((channel) => fc.constant(channel))),
  isPrivateChat: fc.boolean(),
  localeHint: sometimes(fc.oneof(fc.constantFrom('de-DE', 'es', 'fr-CA', 'en', 'xx'), hostileText(6)), 2),
  inputs: fc.array(input, { minLength: 1, maxLength: 4 }),
});

/** The message text with its marker placed where `markerAt` says. */
function textOf(item: Input, marker: string): string {
  if (item.markerAt === 0) return `${item.lead.replace(/ $/, '')}${marker} ${item.body}`;
  if (item.markerAt === 1) return `${item.lead}${item.body.slice(0, 5)}${marker}${item.body.slice(5)}`;
  return `${item.lead}${item.body} ${marker}`;
}

function rowsOf(h: TestApp, subjectId: string): Record<string, number> {
  return Object.fromEntries(
    [...PERSONAL_TABLES, ...EVIDENCE_TABLES].map((table) => {
      const handle = table === 'data_keys' ? h.db.keysSqlite : h.db.sqlite;
      const row = handle
        .prepare(`SELECT count(*) AS n FROM "${table}" WHERE subject_id = ?`)
        .get(subjectId) as {
        n: number;
      };
      return [table, row.n];
    }),
  );
}

describe('random input through the engine (issue 12, item 8)', () => {
  let h: TestApp;
  const logLines: string[] = [];
  const start = async () => {
    h = await startTestApp({}, undefined, {
      logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }),
    });
  };
  /** Every run reads all files back; a fresh database now and then keeps long runs linear. */
  const RUNS_PER_DATABASE = 200;

  beforeAll(start);

  afterAll(async () => {
    await h?.db.drop();
  });

  it(
    'never throws, stores nothing for an undecided person, and neither stores nor logs what was said or who said it',
    async () => {
      let undecided = 0;
      let stored = 0;
      let runs = 0;
      await assertAsyncProperty(
        'engine: random input',
        80,
        run,
        async ({ first, channel, isPrivateChat, localeHint, inputs }) => {
          if (++runs % RUNS_PER_DATABASE === 0) {
            await h.db.drop();
            await start();
          }
          const userKey = canary('user');
          const conversationKey = isPrivateChat ? userKey : canary('group');
          const markers = [userKey, conversationKey];
          const subjectId = h.app.services.subjectIds.of(channel, userKey);
          logLines.length = 0;
          if (first !== 'nothing') {
            const decision = {
              channel,
              conversationKey: userKey,
              userKey,
              isPrivateChat: true,
              receivedAt: new Date(),
            };
            // As the bot issued the button to this person: a forged one would grant nothing.
            await h.app.engine.handle({
              ...decision,
              action: consentAction(h.app, userKey, first, { channel }),
            });
          }

          for (const item of inputs) {
            const marker = canary('said');
            markers.push(marker);
            const message: IncomingMessage = {
              channel,
              conversationKey,
              userKey,
              isPrivateChat,
              receivedAt: new Date(),
              ...(localeHint !== undefined && { localeHint }),
              ...(item.kind === 'text'
                ? { text: textOf(item, marker) }
                : { action: `${item.action}:${marker}` }),
            };
            const replies = await h.app.engine.handle(message);
            for (const reply of replies) if (reply.kind === 'text') expect(typeof reply.text).toBe('string');
          }

          const decided = (await h.app.services.stores.subjects.get(subjectId)) !== null;
          if (!decided) {
            undecided++;
            const rows = rowsOf(h, subjectId);
            expect({ ...rows, rights_requests: 0 }).toEqual(
              Object.fromEntries(Object.keys(rows).map((table) => [table, 0])),
            );
          }
          if ((rowsOf(h, subjectId).history ?? 0) > 0) stored++;
          const dump = await dumpDatabase(h.db);
          expect(markers.filter((marker) => dump.text.includes(marker))).toEqual([]);
          const log = logLines.join('');
          expect(markers.filter((marker) => log.includes(marker))).toEqual([]);
          return !decided;
        },
      );
      // Both sides were exercised: people who never decided, and people whose words were stored.
      expect({ undecided: undecided > 0, stored: stored > 0 }).toEqual({ undecided: true, stored: true });
    },
    FUZZ_TIMEOUT_MS,
  );
});

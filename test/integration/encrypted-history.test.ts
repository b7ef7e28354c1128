import { AppError } from '../../src/core/errors';
import type { TextReply } from '../../src/core/messages';
import { toBuffer } from '../../src/crypto/bytes';
import { createLogger } from '../../src/logging/logger';
import { unpackSealed } from '../../src/storage/sqlite/sealed-blob';
import { KmsDouble, type KmsFailure } from '../support/kms-double';
import {
  ADULT_ACCEPTS_ALL,
  type TestApp as Harness,
  type TestAppExtras,
  type TestDatabase,
  appPerTest,
  dumpDatabase,
  leaksIn,
  startTestApp,
} from '../support/test-app';

/**
 * Issue 3: with history consent, the person's messages and the bot's replies are kept in
 * table `history`, encrypted with the person's data key, and carry their expiry; without consent
 * nothing is kept; a KMS outage costs the note "could not save", never a plaintext write.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const RAW_USER = 'ana-raw-id-123';
const RETENTION_DAYS = 7;

const startApp = appPerTest({ RETENTION_HISTORY_DAYS: String(RETENTION_DAYS) });
const start = (env: Record<string, string> = {}, extras: TestAppExtras = {}) =>
  startApp(env, undefined, extras);

interface HistoryRow {
  id: string;
  subject_id: string;
  conversation_id: string;
  at: number;
  body: Buffer;
  expires_at: number | null;
}

function historyRows(db: TestDatabase, subjectId?: string): HistoryRow[] {
  return db.sqlite
    .prepare('SELECT * FROM history WHERE @subjectId IS NULL OR subject_id = @subjectId ORDER BY seq')
    .all({ subjectId: subjectId ?? null }) as HistoryRow[];
}

function count(db: TestDatabase, table: 'history' | 'data_keys'): number {
  const handle = table === 'data_keys' ? db.keysSqlite : db.sqlite;
  return (handle.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function t(h: Harness, key: string, options: Record<string, unknown> = {}): string {
  return h.app.services.i18n.translator('en')(key, options);
}

function textsOfReplies(replies: readonly TextReply[]): string[] {
  return replies.map((reply) => reply.text);
}

describe('conversation history: encrypted, consented, expiring (issue 3)', () => {
  it('stores messages and replies only encrypted, expiring after RETENTION_HISTORY_DAYS', async () => {
    const h = await start();
    const ana = h.chat(RAW_USER);
    const before = Date.now();
    const said: TextReply[] = [...(await ana.press(ADULT_ACCEPTS_ALL))];
    const script = [
      'tell me something about tulips please',
      'call me Sam Example',
      'remember that my locker code is 4711',
      'what did I tell you?',
    ];
    for (const text of script) said.push(...(await ana.send(text)));
    const after = Date.now();

    // The conversation worked: the name and the note come back.
    const recall = said.at(-1)!.text;
    expect(recall).toContain('Sam Example');
    expect(recall).toContain('my locker code is 4711');

    // Everything is in `history`, readable through the store (so it really was written), except
    // the turns that carry stored data (issue 16): "call me ..." and its answer (the name lives in
    // the profile only) and the recall (its reply repeats the notes and the name).
    const entries = await h.app.services.stores.history.recent(ana.subjectId, { limit: 100 });
    const person = entries.filter((entry) => entry.speaker === 'person').reverse();
    const callMe = script.indexOf('call me Sam Example');
    expect(person.map((entry) => entry.text)).toEqual(
      script.filter((_text, index) => index !== callMe && index !== script.length - 1),
    );
    expect(person.find((entry) => entry.text.startsWith('remember'))?.tag).toBe('note');
    const botTexts = entries.filter((entry) => entry.speaker === 'bot').map((entry) => entry.text);
    const greeting = said.find((reply) => reply.text.includes('Sam Example'))!.text;
    for (const reply of said.slice(0, -1)) {
      if (reply.text !== greeting) expect(botTexts).toContain(reply.text);
    }
    expect(botTexts).not.toContain(greeting);
    expect(botTexts).not.toContain(recall);

    // ... but no table, and no byte of the files, holds any of it in clear, nor the raw platform id.
    const dump = await dumpDatabase(h.db);
    expect(dump.tables.get('history')?.length).toBe(entries.length);
    const needles = [...script, ...textsOfReplies(said), 'Sam Example', '4711', RAW_USER];
    expect(leaksIn(dump.text, needles)).toEqual([]);

    const rows = historyRows(h.db);
    expect(rows).toHaveLength(entries.length);
    for (const row of rows) {
      expect(row.subject_id).toBe(ana.subjectId);
      expect(Object.keys(row)).not.toContain('text');
      // One sealed BLOB: format 1, a 12-byte IV, a 16-byte GCM tag and the ciphertext.
      expect(Buffer.isBuffer(row.body)).toBe(true);
      const sealed = unpackSealed(row.body);
      const [iv, tag, ct] = [sealed.iv, sealed.tag, sealed.ct].map(toBuffer) as [Buffer, Buffer, Buffer];
      expect({ v: sealed.v, iv: iv.length, tag: tag.length }).toEqual({
        v: 1,
        iv: 12,
        tag: 16,
      });
      expect(ct.length).toBeGreaterThan(0);
      // Expiry: the retention after the turn (the clock is read twice per turn), during this test.
      const expiresAt = row.expires_at!;
      expect(Math.abs(expiresAt - row.at - RETENTION_DAYS * DAY_MS)).toBeLessThan(1000);
      expect(expiresAt).toBeGreaterThanOrEqual(before + RETENTION_DAYS * DAY_MS);
      expect(expiresAt).toBeLessThanOrEqual(after + RETENTION_DAYS * DAY_MS);
    }

    // The retention sweeper finds them by an index on expires_at, and deletes them on time.
    const indexed = h.db.sqlite
      .prepare(
        `SELECT il.name FROM pragma_index_list('history') AS il
         WHERE (SELECT name FROM pragma_index_info(il.name) WHERE seqno = 0) = 'expires_at'`,
      )
      .all();
    expect(indexed.length).toBeGreaterThan(0);
    const latest = Math.max(...rows.map((row) => row.expires_at!));
    const lastTurn = rows.filter((row) => row.expires_at === latest).length;
    expect((await h.db.backend.sweepExpired(new Date(latest - 1))).history).toBe(rows.length - lastTurn);
    expect((await h.app.services.stores.history.recent(ana.subjectId, { limit: 100 })).length).toBe(lastTurn);
    expect((await h.db.backend.sweepExpired(new Date(latest))).history).toBe(lastTurn);
    expect(historyRows(h.db)).toEqual([]);
  });

  it.each([
    ['declined everything', 'consent:none:en'],
    ['allowed only personalisation', 'consent:age:010:adult:en'],
  ])('stores no history for a person who %s', async (_label, decision) => {
    const h = await start();
    const ana = h.chat(RAW_USER);
    await ana.press(decision);
    const script = ['remember that my locker code is 4711', 'tell me something about tulips please'];
    const [notKept] = await ana.send(script[0]!);
    expect(notKept?.text).toBe(t(h, 'memory.noHistoryConsent'));
    await ana.send(script[1]!);
    await ana.send('call me Sam Example');

    expect(count(h.db, 'history')).toBe(0);
    const dump = await dumpDatabase(h.db);
    expect(leaksIn(dump.text, [...script, 'Sam Example', '4711', RAW_USER])).toEqual([]);
  });

  it('in a group keeps only the consenting speaker’s own lines, under their id; an undecided member leaves nothing', async () => {
    const h = await start();
    await h.chat(RAW_USER).press(ADULT_ACCEPTS_ALL);
    const stored = count(h.db, 'history');
    const group = { isPrivateChat: false, conversationKey: 'group-42' } as const;
    const anaInGroup = h.chat(RAW_USER, group);
    const beaInGroup = h.chat('bea-raw-id-456', group);

    await anaInGroup.send('ana tells the group about gardening');
    const beaReplies = await beaInGroup.send('bea tells the group a private thing');
    expect(beaReplies).toHaveLength(1);
    expect(beaReplies[0]!.privateToSpeaker).toBe(true);
    await anaInGroup.send('ana adds that roses need sun');

    const groupId = h.app.services.subjectIds.conversation('console', 'group-42');
    const rows = historyRows(h.db);
    expect(rows.length).toBeGreaterThan(stored);
    expect(new Set(rows.map((row) => row.subject_id))).toEqual(new Set([anaInGroup.subjectId]));

    const inGroup = (await h.app.services.stores.history.recent(anaInGroup.subjectId, { limit: 100 }))
      .filter((entry) => entry.conversationId === groupId)
      .reverse();
    expect(inGroup.filter((entry) => entry.speaker === 'person').map((entry) => entry.text)).toEqual([
      'ana tells the group about gardening',
      'ana adds that roses need sun',
    ]);
    expect(inGroup.map((entry) => entry.text).join('\n')).not.toContain('bea tells the group');

    // Bea: no subject, no ledger, no key, nothing that mentions her id or her words.
    const dump = await dumpDatabase(h.db);
    expect(dump.text).not.toContain(beaInGroup.subjectId);
    expect(
      leaksIn(dump.text, ['bea tells the group a private thing', 'bea-raw-id-456', 'group-42', RAW_USER]),
    ).toEqual([]);
  });

  it('reads a note back after a restart: the stored ciphertext decrypts in a new app instance', async () => {
    const h = await start();
    const ana = h.chat(RAW_USER);
    await ana.press(ADULT_ACCEPTS_ALL);
    const [noted] = await ana.send('remember that my locker code is 4711');
    expect(noted?.text).toBe(t(h, 'memory.remembered'));
    await h.close();

    const restarted = await startTestApp({ RETENTION_HISTORY_DAYS: String(RETENTION_DAYS) }, h.db);
    expect(restarted.app.encryption.cache.stats().size).toBe(0);
    const [recall] = await restarted.chat(RAW_USER).send('what did I tell you?');
    expect(recall?.text).toContain(t(restarted, 'memory.recallIntro'));
    expect(recall?.text).toContain('my locker code is 4711');
  });

  it('crypto-shredding: once the data key is deleted, the history left behind cannot be read', async () => {
    const h = await start();
    const ana = h.chat(RAW_USER);
    await ana.press(ADULT_ACCEPTS_ALL);
    await ana.send('remember that my locker code is 4711');
    const { history } = h.app.services.stores;
    expect((await history.recent(ana.subjectId, { limit: 10 })).length).toBeGreaterThan(0);

    expect(await h.app.encryption.dataKeys.shred(ana.subjectId)).toBe(true);

    expect(historyRows(h.db, ana.subjectId).length).toBeGreaterThan(0);
    expect(count(h.db, 'data_keys')).toBe(0);
    const read = history.recent(ana.subjectId, { limit: 10 });
    await expect(read).rejects.toBeInstanceOf(AppError);
    await expect(history.recent(ana.subjectId, { limit: 10 })).rejects.toMatchObject({
      code: 'KEY_SHREDDED',
    });
    // Not a cache effect: a fresh instance cannot read it either.
    const restarted = await startTestApp({}, h.db);
    await expect(
      restarted.app.services.stores.history.recent(ana.subjectId, { limit: 10 }),
    ).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
  });
});

describe('conversation history when KMS fails (issue 3)', () => {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  let kms: KmsDouble | undefined;

  afterEach(async () => {
    await kms?.close();
    kms = undefined;
  });

  it.each<[KmsFailure, 'KMS_UNAVAILABLE' | 'KMS_DENIED']>([
    ['internal-error', 'KMS_UNAVAILABLE'],
    ['access-denied', 'KMS_DENIED'],
    ['hang', 'KMS_UNAVAILABLE'],
  ])(
    'GenerateDataKey %s: the answer still comes with a "not saved" note, nothing is stored, the log has %s',
    async (failure, code) => {
      kms = await KmsDouble.start({ keyIds: ['key-a'] });
      const logLines: string[] = [];
      const logger = createLogger('debug', { write: (line: string) => void logLines.push(line) });
      const h = await start(
        {
          KEY_PROVIDER: 'aws',
          KMS_KEY_ID: 'key-a',
          KMS_ENDPOINT: kms.endpoint,
          KMS_TIMEOUT_MS: '300',
          KMS_MAX_ATTEMPTS: '1',
        },
        { logger, keyProviderOptions: { awsRegion: kms.region, awsCredentials: credentials } },
      );
      const notSaved = t(h, 'history.notSaved');
      const ana = h.chat(RAW_USER);

      // The first storage creates the person's data key: that is the call that fails.
      kms.fail(failure, { operations: ['GenerateDataKey'] });
      const decided = await ana.press(ADULT_ACCEPTS_ALL);
      expect(decided.at(-1)?.text).toBe(notSaved);
      const secret = 'remember that my locker code is 4711';
      const replies = await ana.send(secret);
      expect(textsOfReplies(replies)).toEqual([t(h, 'memory.remembered'), notSaved]);
      expect(kms.calls('GenerateDataKey')).toBeGreaterThanOrEqual(2);

      expect(count(h.db, 'history')).toBe(0);
      expect(count(h.db, 'data_keys')).toBe(0);
      const dump = await dumpDatabase(h.db);
      expect(leaksIn(dump.text, [secret, 'my locker code', '4711', RAW_USER])).toEqual([]);
      // The consent decision itself needs no key and was kept.
      expect((await h.app.services.stores.subjects.get(ana.subjectId))?.purposes.history).toBe(true);

      const log = logLines.join('');
      expect(log).toContain(`"code":"${code}"`);
      expect(log).toContain('history not saved');
      expect(leaksIn(log, [secret, 'my locker code', '4711', RAW_USER])).toEqual([]);

      // KMS is back: the next message is stored (and the key created) without a note.
      kms.fail(undefined);
      const next = 'remember that my bike is the green one';
      const healthy = await ana.send(next);
      expect(textsOfReplies(healthy)).toEqual([t(h, 'memory.remembered')]);
      const entries = await h.app.services.stores.history.recent(ana.subjectId, { limit: 10 });
      expect(entries.filter((entry) => entry.speaker === 'person').map((entry) => entry.text)).toEqual([
        next,
      ]);
      expect(count(h.db, 'data_keys')).toBe(1);
    },
    20_000,
  );
});

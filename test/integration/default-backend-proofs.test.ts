import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locale } from '../../src/i18n/locales';
import { chatJson } from '../support/chat-process';
import { consentActionFor } from '../support/consent-buttons';
import { type Row, allTables, openDatabaseFiles, rowsMentioning } from '../support/db';
import { EVIDENCE_TABLES, PERSONAL_TABLES, textsIn } from '../support/engine-db-checks';
import {
  ADULT_ACCEPTS_ALL,
  type TestApp,
  type TestDatabase,
  actionIds,
  appPerTest,
  dumpDatabase,
  leaksIn,
  startTestApp,
} from '../support/test-app';

/**
 * What the README promises of the default backend (SQLite files, nothing to install), each shown
 * on the real files: (a) nothing personal is at rest in clear, (b) an erased person leaves only
 * the evidence ledgers and no key, (c) a restart on the same files remembers the person, (d) a
 * database that fails mid-turn costs the person a clear apology in their language, never the
 * process and never half a write.
 */

const start = appPerTest();

function t(h: TestApp, locale: Locale, key: string, options: Record<string, unknown> = {}): string {
  return h.app.services.i18n.translator(locale)(key, options);
}

/** Every row of every table that names `subjectId`, as stored (data file and key file). */
function snapshotOf(db: TestDatabase, subjectId: string): Record<string, Row[]> {
  return Object.fromEntries(rowsMentioning(db, subjectId));
}

/** Every row of every table, as stored. */
function everything(db: TestDatabase): Record<string, Row[]> {
  return Object.fromEntries(allTables(db));
}

describe('(a) no plaintext at rest', () => {
  it('after a full conversation, no byte of the data file, its WAL or the key file holds what was said', async () => {
    const h = await start();
    const rawUser = 'ana.raw-user-id-8472';
    const ana = h.chat(rawUser);
    const typed = [
      'remember that my locker code is 4711',
      'remember that the spare key is under the blue flowerpot',
      'tell me something about tulips please',
      'call me Sam Example',
      'what did I tell you?',
    ];
    const replies = [...(await ana.send('hello')), ...(await ana.press(ADULT_ACCEPTS_ALL))];
    for (const text of typed) replies.push(...(await ana.send(text)));
    const exported = await ana.send('/export');

    // The conversation really happened: the notes and the name came back, and the export holds them.
    const recall = replies.at(-1)!.text;
    expect(recall).toContain('my locker code is 4711');
    expect(recall).toContain('the spare key is under the blue flowerpot');
    const file = exported.find((reply) => reply.file)?.file;
    const exportText = file!.bytes.toString('utf8');
    // Every typed line but "call me ..." (the name is kept in the profile only, issue 16) and the recall.
    for (const text of typed.slice(0, -2)) expect(exportText).toContain(text);
    expect(exportText).toContain('Sam Example');

    const dump = await dumpDatabase(h.db);
    // ... and it was stored: encrypted history, a sealed name, one wrapped key.
    expect(dump.tables.get('history')!.length).toBeGreaterThanOrEqual(typed.length);
    expect(dump.tables.get('profile_fields')).toHaveLength(1);
    expect(dump.tables.get('data_keys')).toHaveLength(1);
    // The files read are the ones in use: the WAL holds this session's pages, not yet checkpointed.
    expect([...dump.files.keys()].sort()).toEqual(
      expect.arrayContaining(['bot.keys.sqlite', 'bot.sqlite', 'bot.sqlite-wal']),
    );
    expect(dump.files.get('bot.sqlite-wal')!.length).toBeGreaterThan(0);
    // The search works on these bytes: the pseudonymous id, stored in clear, is found.
    expect(leaksIn(dump.rawText, [ana.subjectId])).toEqual([ana.subjectId]);

    const needles = [
      ...typed,
      'my locker code',
      '4711',
      'blue flowerpot',
      'tulips',
      'Sam Example',
      rawUser,
      ...replies.map((reply) => reply.text).filter((text) => text.includes('Sam') || text.includes('4711')),
    ];
    const leaks = Object.fromEntries(
      [...dump.files].map(([name, bytes]) => [name, leaksIn(bytes.toString('utf8'), needles)]),
    );
    expect(leaks).toEqual(Object.fromEntries([...dump.files.keys()].map((name) => [name, []])));
    // Nor in any value of any table (blobs decoded too), nor in any other file of DATA_DIR.
    expect(leaksIn(dump.text, needles)).toEqual([]);
    for (const name of await fs.readdir(h.db.dir)) {
      const bytes = await fs.readFile(path.join(h.db.dir, name));
      expect({ name, leaks: leaksIn(bytes.toString('utf8'), needles) }).toEqual({ name, leaks: [] });
    }
  });
});

describe('(b) erasure', () => {
  it('after a confirmed /delete no row of the person is left but the evidence, their key is gone, others are untouched', async () => {
    const h = await start();
    const people = ['ana-raw-1', 'bea-raw-2'].map((user) => h.chat(user));
    for (const person of people) {
      await person.press(ADULT_ACCEPTS_ALL);
      await person.send('call me Sam Example');
      await person.send('remember that my locker code is 4711');
    }
    // An open dialog step too, so every personal table holds something of Ana's.
    const [ana, bea] = people as [(typeof people)[0], (typeof people)[0]];
    const explain = await ana.send('/delete');
    const confirm = actionIds(explain).find((id) => id.startsWith('delete:confirm:'));
    const before = snapshotOf(h.db, ana.subjectId);
    expect(Object.keys(before).sort()).toEqual([...PERSONAL_TABLES, 'consent_ledger'].sort());
    const beaBefore = snapshotOf(h.db, bea.subjectId);
    const anaKey = before.data_keys![0]!.wrapped as Buffer;
    const anaCiphertext = (before.history ?? []).map((row) => row.body as Buffer);

    const done = await ana.send({ action: confirm! });
    expect(done.map((reply) => reply.text)).toEqual([textsIn(h, 'en').erased]);

    // Only the two evidence ledgers still name Ana, and nothing was added to them but the erasure.
    const after = snapshotOf(h.db, ana.subjectId);
    expect(Object.keys(after).sort()).toEqual([...EVIDENCE_TABLES].sort());
    expect(after.consent_ledger).toEqual(before.consent_ledger);
    expect(after.rights_requests!.map((row) => [row.type, row.status])).toEqual([['erasure', 'completed']]);
    // The wrapped key is gone from the key file: no row, and not in its bytes (secure_delete).
    expect(h.db.keysSqlite.prepare('SELECT count(*) AS n FROM data_keys').get()).toEqual({ n: 1 });
    const dump = await dumpDatabase(h.db);
    expect(dump.files.get('bot.keys.sqlite')!.includes(anaKey)).toBe(false);
    expect(anaCiphertext.length).toBeGreaterThan(0);
    expect(anaCiphertext.filter((body) => dump.files.get('bot.sqlite')!.includes(body))).toEqual([]);
    // Bea: every row exactly as it was, and still readable.
    expect(snapshotOf(h.db, bea.subjectId)).toEqual(beaBefore);
    const [recall] = await bea.send('what did I tell you?');
    expect(recall?.text).toContain('my locker code is 4711');
    expect((await h.app.services.stores.profiles.get(bea.subjectId))?.fields.preferredName).toBe(
      'Sam Example',
    );
  });

  it('neither the wrapped key nor the ciphertext of an erased person is left in a WAL file', async () => {
    const h = await start();
    const ana = h.chat('ana-raw-1');
    await ana.press(ADULT_ACCEPTS_ALL);
    await ana.send('remember that my locker code is 4711');
    const { wrapped } = h.db.keysSqlite.prepare('SELECT wrapped FROM data_keys').get() as { wrapped: Buffer };
    const bodies = (h.db.sqlite.prepare('SELECT body FROM history').all() as { body: Buffer }[]).map(
      (row) => row.body,
    );
    const explain = await ana.send('/delete');
    await ana.send({ action: actionIds(explain).find((id) => id.startsWith('delete:confirm:'))! });

    // Copies of the files taken now, WALs included (a backup, a stolen disk image), must not hold
    // the key that unwraps Ana's data, nor the rows secure_delete was meant to overwrite.
    const dump = await dumpDatabase(h.db);
    const holding = [...dump.files]
      .map(([name, bytes]) => ({
        name,
        key: bytes.includes(wrapped),
        ciphertexts: bodies.filter((body) => bytes.includes(body)).length,
      }))
      .filter((file) => file.key || file.ciphertexts > 0);
    expect(holding).toEqual([]);
  });
});

describe('(c) restart', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('a new process on the same files remembers consent, history and language', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'restart-proof-'));
    // Nothing from the runner's environment: the default files in DATA_DIR, keys generated there.
    const chat = (lines: unknown[]) =>
      chatJson(lines, { DATA_DIR: dataDir! }, [
        'MONGODB_URI',
        'DATABASE_PATH',
        'DATA_KEYS_PATH',
        'SUBJECT_ID_PEPPER',
        'LOCAL_MASTER_KEY',
        'KEY_PROVIDER',
        'APP_ENV',
      ]);

    // The notice first: that run generates the pepper the consent button is signed with.
    expect((await chat(['hello']))[0]!.text).toMatch(/Before we chat/);
    const first = await chat([
      { action: await consentActionFor({ DATA_DIR: dataDir }, 'local-user', ADULT_ACCEPTS_ALL) },
      '/language de',
      'merk dir, dass der Code Ananas ist',
    ]);
    expect(first[0]!.text).toMatch(/You allowed/);
    expect(first[1]!.text).toMatch(/Deutsch/);
    expect(first).toHaveLength(3);

    // The first process has exited: a second one starts on the same two files.
    const second = await chat(['was habe ich dir erzählt?', '/consent']);
    expect(second).toHaveLength(2);
    // History: the note comes back, introduced in German.
    expect(second[0]!.text).toContain('Du hast mich gebeten, mir das zu merken:');
    expect(second[0]!.text).toContain('der Code Ananas ist');
    // Consent: the current choices, not the notice for someone new; still in German.
    expect(second[1]!.text).not.toMatch(/Bevor wir|Before we chat/);
    expect(second[1]!.actions.length).toBeGreaterThan(0);

    const files = openDatabaseFiles(dataDir);
    try {
      const subjects = files.sqlite.prepare('SELECT locale, purposes FROM subjects').all();
      expect(subjects).toEqual([
        { locale: 'de', purposes: JSON.stringify({ history: true, personalization: true, analytics: true }) },
      ]);
      expect(files.sqlite.prepare('SELECT count(*) AS n FROM consent_ledger').get()).toEqual({ n: 3 });
    } finally {
      files.close();
    }
  }, 90_000);
});

describe('(d) a database that fails mid-turn', () => {
  /** Ana speaks German, Bea Spanish: each apology must come in the person's own language. */
  async function twoPeople(h: TestApp) {
    const ana = h.chat('ana-raw-1', { localeHint: 'de-DE' });
    const bea = h.chat('bea-raw-2', { localeHint: 'es' });
    await ana.press('consent:age:111:adult:de');
    await bea.press('consent:age:111:adult:es');
    return { ana, bea };
  }

  it('with the handle closed, everyone gets an apology in their language, and a restart finds the files intact', async () => {
    const h = await start();
    const { ana, bea } = await twoPeople(h);
    await ana.send('remember that my locker code is 4711');
    const before = everything(h.db);

    h.db.sqlite.close();
    const anaReplies = await ana.send('remember that my bike is green');
    expect(anaReplies.map((reply) => reply.text)).toEqual([t(h, 'de', 'errors.storageUnavailable')]);
    const beaReplies = await bea.send('call me Bea Example');
    expect(beaReplies.map((reply) => reply.text)).toEqual([t(h, 'es', 'errors.storageUnavailable')]);
    // The process goes on answering: a newcomer too, in their language.
    const [newcomer] = await h.chat('cleo', { localeHint: 'fr' }).send('bonjour');
    expect(newcomer?.text).toBe(t(h, 'fr', 'errors.storageUnavailable'));

    // A restart on the same files: exactly what was there before the failure, and everyone served.
    const restarted = await startTestApp({}, h.db);
    expect(everything(restarted.db)).toEqual(before);
    const [recall] = await restarted
      .chat('ana-raw-1', { localeHint: 'de-DE' })
      .send('was habe ich dir erzählt?');
    expect(recall?.text).toContain('my locker code is 4711');
    const [named] = await restarted.chat('bea-raw-2', { localeHint: 'es' }).send('call me Bea Example');
    expect(named?.text).toContain('Bea Example');
  });

  it('read-only: a turn that must write gets the apology, history gets the "not saved" note, reads still work', async () => {
    const h = await start();
    const { ana, bea } = await twoPeople(h);
    await ana.send('remember that my locker code is 4711');
    const before = everything(h.db);

    // Reads succeed, every write fails (as on a read-only file or a full disk).
    h.db.sqlite.pragma('query_only = ON');
    const named = await ana.send('call me Sam Example');
    expect(named.map((reply) => reply.text)).toEqual([t(h, 'de', 'errors.storageUnavailable')]);
    const noted = await bea.send('remember that my bike is green');
    expect(noted.map((reply) => reply.text)).toEqual([
      t(h, 'es', 'memory.remembered'),
      t(h, 'es', 'history.notSaved'),
    ]);
    // What only reads is served as usual.
    const [recall] = await ana.send('was habe ich dir erzählt?');
    expect(recall?.text).toContain(t(h, 'de', 'memory.recallIntro'));
    expect(recall?.text).toContain('my locker code is 4711');
    expect(everything(h.db)).toEqual(before);

    // Writable again: the same process serves the same people, with nothing to repair.
    h.db.sqlite.pragma('query_only = OFF');
    const [again] = await ana.send('call me Sam Example');
    expect(again?.text).toContain('Sam Example');
    expect((await h.app.services.stores.profiles.get(ana.subjectId))?.fields.preferredName).toBe(
      'Sam Example',
    );
  });

  /**
   * A write that fails at its second statement, as a disk error would: an I/O error raised by
   * a temporary trigger when one person's row is inserted, while everyone else writes as usual.
   */
  function failWritesOf(db: TestDatabase, table: string, subjectId: string, when = 'true'): void {
    db.sqlite.function('simulated_io_error', () => {
      throw Object.assign(new Error('disk I/O error (simulated)'), { code: 'SQLITE_IOERR' });
    });
    db.sqlite.exec(`
      CREATE TEMP TRIGGER fail_${table} BEFORE INSERT ON main.${table}
      WHEN NEW.subject_id = '${subjectId}' AND (${when})
      BEGIN SELECT simulated_io_error(); END`);
  }

  function healWrites(db: TestDatabase, table: string): void {
    db.sqlite.exec(`DROP TRIGGER temp.fail_${table}`);
  }

  it('a consent decision that fails half-way leaves neither the decision nor its ledger entries', async () => {
    const h = await start();
    const ana = h.chat('ana-raw-1', { localeHint: 'de-DE' });
    const bea = h.chat('bea-raw-2', { localeHint: 'es' });
    failWritesOf(h.db, 'subjects', ana.subjectId);

    const replies = await ana.press('consent:age:111:adult:de');
    expect(replies.map((reply) => reply.text)).toEqual([t(h, 'de', 'errors.storageUnavailable')]);
    // The apology says nothing was saved: so the ledger must not claim a decision either.
    expect(snapshotOf(h.db, ana.subjectId)).toEqual({});
    // Everyone else is served meanwhile.
    const [saved] = await bea.press('consent:age:111:adult:es');
    expect(saved?.text).toBe(textsIn(h, 'es').savedAll);

    // Once the disk is back, the same tap records the decision once.
    healWrites(h.db, 'subjects');
    const [confirmation] = await ana.press('consent:age:111:adult:de');
    expect(confirmation?.text).toBe(textsIn(h, 'de').savedAll);
    const ledger = h.db.sqlite
      .prepare('SELECT purpose, decision FROM consent_ledger WHERE subject_id = ? ORDER BY seq')
      .all(ana.subjectId);
    expect(ledger).toEqual([
      { purpose: 'history', decision: 'granted' },
      { purpose: 'personalization', decision: 'granted' },
      { purpose: 'analytics', decision: 'granted' },
    ]);
  });

  it('a history write that fails at the reply keeps neither the message nor the reply, and says so', async () => {
    const h = await start();
    const { ana, bea } = await twoPeople(h);
    const historyBefore = snapshotOf(h.db, ana.subjectId).history ?? [];
    failWritesOf(h.db, 'history', ana.subjectId, "NEW.speaker = 'bot'");

    const replies = await ana.send('remember that my bike is green');
    expect(replies.map((reply) => reply.text)).toEqual([
      t(h, 'de', 'memory.remembered'),
      t(h, 'de', 'history.notSaved'),
    ]);
    expect(snapshotOf(h.db, ana.subjectId).history ?? []).toEqual(historyBefore);
    // Bea's lines are stored as usual, both of them.
    const beaBefore = (snapshotOf(h.db, bea.subjectId).history ?? []).length;
    await bea.send('remember that my bike is red');
    expect((snapshotOf(h.db, bea.subjectId).history ?? []).length).toBe(beaBefore + 2);
  });
});

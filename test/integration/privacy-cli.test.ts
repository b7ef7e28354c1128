import { randomBytes } from 'node:crypto';
import { LOCALES } from '../../src/i18n/locales';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { runPrivacyCli } from '../../src/cli/privacy';
import { exportFileSchema } from '../../src/privacy/rights/export-format';
import type { RightsRequest } from '../../src/storage/ports';
import { ADULT_ACCEPTS_ALL, TEST_PEPPER, startTestApp } from '../support/test-app';

/**
 * `npm run privacy` against the data the bot wrote: the app and the CLI share the SQLite files
 * (the CLI opens its own connection while the bot's stays open), the pepper and the master key,
 * as the bot and the operator do in a deployment.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const MESSAGES = ['alpha bravo', 'charlie delta', 'echo foxtrot'];

type Harness = Awaited<ReturnType<typeof startTestApp>>;

let harness: Harness | undefined;
let dataDir: string;
let env: Record<string, string>;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-cli-db-'));
  env = {
    DATA_DIR: dataDir,
    SUBJECT_ID_PEPPER: TEST_PEPPER,
    LOCAL_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  };
  harness = await startTestApp(env);
});

afterEach(async () => {
  // Unset when the database could not be opened.
  await harness?.db.drop();
  harness = undefined;
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const err = new PassThrough().on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await runPrivacyCli(argv, {
    // The bot's files, as the operator would name them; never MONGODB_URI.
    env: { ...env, DATABASE_PATH: harness!.db.path, DATA_KEYS_PATH: harness!.db.keysPath },
    stdout: out,
    stderr: err,
    logger: pino({ level: 'silent' }),
  });
  return { code, stdout, stderr };
}

/** Ana accepts everything and says three things; the engine keeps them (and the replies) as history. */
async function anaChats(h: Harness) {
  const ana = h.chat('ana');
  await ana.press(ADULT_ACCEPTS_ALL);
  for (const text of MESSAGES) await ana.send(text);
  return ana;
}

/** One person's rows in `table` (the data file, or the key file for data_keys). */
function count(h: Harness, table: string, subjectId: string): number {
  const handle = table === 'data_keys' ? h.db.keysSqlite : h.db.sqlite;
  return (
    handle.prepare(`SELECT count(*) AS n FROM ${table} WHERE subject_id = ?`).get(subjectId) as { n: number }
  ).n;
}

describe('npm run privacy -- requests', () => {
  it('--overdue lists open requests past their due date, not completed or not-yet-due ones', async () => {
    const ledger = harness!.app.services.stores.rightsRequests;
    const now = Date.now();
    const expiresAt = new Date(now + 365 * DAY_MS);
    const request = (type: RightsRequest['type'], receivedDaysAgo: number, dueDaysAgo: number) =>
      ledger.open(
        {
          subjectId: 'a'.repeat(64),
          type,
          origin: 'operator',
          receivedAt: new Date(now - receivedDaysAgo * DAY_MS),
          dueAt: new Date(now - dueDaysAgo * DAY_MS),
        },
        expiresAt,
      );
    const overdue = await request('access', 40, 10);
    const completed = await request('erasure', 40, 10);
    await ledger.finish(completed.id, 'completed', 'history=0', new Date(now - 20 * DAY_MS));
    const notYetDue = await request('export', 1, -29);

    const json = await cli(['requests', '--overdue', '--json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as RightsRequest[]).map((r) => r.id)).toEqual([overdue.id]);

    const table = await cli(['requests', '--overdue']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(overdue.id);
    expect(table.stdout).toContain('open, overdue');
    expect(table.stdout).toContain('aaaaaaaaaaaa ');
    expect(table.stdout).not.toContain('a'.repeat(13)); // subject ids are shortened
    expect(table.stdout).not.toContain(completed.id);
    expect(table.stdout).not.toContain(notYetDue.id);

    const all = await cli(['requests', '--json']);
    expect((JSON.parse(all.stdout) as RightsRequest[]).map((r) => r.id).sort()).toEqual(
      [overdue.id, completed.id, notYetDue.id].sort(),
    );

    const limited = await cli(['requests', '--limit', '2']);
    expect(limited.code).toBe(0);
    expect(limited.stderr).toContain('raise --limit');
  });
});

describe('npm run privacy -- export', () => {
  it('writes the person export to a new 0600 file and records an operator export request', async () => {
    const h = harness!;
    const ana = await anaChats(h);
    const out = path.join(dataDir, 'export.json');

    const result = await cli(['export', '--user', 'console:ana', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^export rr_[0-9a-f]+: \d+ history entries, \d+ bytes to /);
    for (const text of MESSAGES) expect(result.stderr).not.toContain(text);

    expect((await fs.stat(out)).mode & 0o777).toBe(0o600);
    const file = exportFileSchema.parse(JSON.parse(await fs.readFile(out, 'utf8')));
    expect(file.subject.pseudonymousId).toBe(ana.subjectId);
    expect(file.history.filter((line) => line.speaker === 'person').map((line) => line.text)).toEqual(
      MESSAGES,
    );
    expect(file.counts.history).toBe(file.history.length);

    const requests = await h.app.services.stores.rightsRequests.list({ subjectId: ana.subjectId });
    const exports = requests.filter((request) => request.type === 'export');
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({ origin: 'operator', status: 'completed' });
    expect(exports[0]!.outcome).toMatch(new RegExp(`^history=${file.history.length} bytes=\\d+$`));
    expect(result.stderr).toContain(exports[0]!.id);

    // Never over an existing file, and that attempt records nothing.
    const again = await cli(['export', '--user', 'console:ana', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('refusing to overwrite');
    expect(
      (await h.app.services.stores.rightsRequests.list({ subjectId: ana.subjectId })).filter(
        (request) => request.type === 'export',
      ),
    ).toHaveLength(1);
  });

  it('writes to stdout without --out', async () => {
    await anaChats(harness!);
    const result = await cli(['export', '--user', 'console:ana']);
    expect(result.code).toBe(0);
    const file = exportFileSchema.parse(JSON.parse(result.stdout));
    expect(file.history.filter((line) => line.speaker === 'person')).toHaveLength(MESSAGES.length);
    expect(result.stderr).toContain('to stdout');
  });
});

describe('npm run privacy -- erase', () => {
  it('shows what it would erase without --yes, and erases every personal document with it', async () => {
    const h = harness!;
    const ana = await anaChats(h);
    const bea = h.chat('bea');
    await bea.press(ADULT_ACCEPTS_ALL);
    await bea.send('golf hotel');
    const { rights, stores, subjectIds } = h.app.services;
    await rights.correct({ subjectId: ana.subjectId, origin: 'console' }, 'preferredName', 'Ana Example');
    await stores.conversations.save(
      ana.subjectId,
      subjectIds.conversation('console', 'ana'),
      { activeDialog: { dialogId: 'help', step: 'x' } },
      new Date(Date.now() + 60_000),
    );
    const historyBefore = count(h, 'history', ana.subjectId);
    expect(historyBefore).toBeGreaterThanOrEqual(MESSAGES.length);

    const preview = await cli(['erase', '--user', 'console:ana']);
    expect(preview.code).toBe(2);
    expect(preview.stdout).toContain(`history entries:  ${historyBefore}`);
    expect(preview.stdout).toContain('profile fields:   1');
    expect(preview.stderr).toContain('--yes');
    expect(count(h, 'history', ana.subjectId)).toBe(historyBefore);

    const result = await cli(['erase', '--user', 'console:ana', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('data key:         shredded');
    expect(result.stdout).toContain(`history entries:  ${historyBefore}`);
    expect(result.stdout).not.toContain('Ana Example');

    for (const name of [
      'history',
      'conversation_state',
      'data_keys',
      'subjects',
      'profiles',
      'profile_fields',
    ])
      expect([name, count(h, name, ana.subjectId)]).toEqual([name, 0]);

    // The evidence stays: the consent ledger and the completed erasure request.
    expect(count(h, 'consent_ledger', ana.subjectId)).toBeGreaterThan(0);
    const erasures = (await stores.rightsRequests.list({ subjectId: ana.subjectId })).filter(
      (request) => request.type === 'erasure',
    );
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({ origin: 'operator', status: 'completed' });
    expect(erasures[0]!.outcome).toMatch(
      new RegExp(`^key=shredded history=${historyBefore} profile=1 state=[1-9]\\d* consent=1$`),
    );

    // Nobody else is touched, and the bot's own connection sees the erasure at once.
    expect(count(h, 'history', bea.subjectId)).toBeGreaterThan(0);
    expect(count(h, 'data_keys', bea.subjectId)).toBe(1);
    expect(await stores.subjects.get(ana.subjectId)).toBeNull();
    const beaSaid = await stores.history.recent(bea.subjectId, { limit: 10 });
    expect(beaSaid.map((entry) => entry.text)).toContain('golf hotel');
  });
});

describe('npm run privacy -- extend', () => {
  /** An open request as one that came by letter (or by chat), received now, due after the first period. */
  async function openRequest(subjectId: string, origin: RightsRequest['origin'] = 'operator') {
    const { stores, rights } = harness!.app.services;
    const receivedAt = new Date();
    return stores.rightsRequests.open(
      { subjectId, type: 'erasure', origin, receivedAt, dueAt: rights.deadline.dueAt(receivedAt) },
      new Date(receivedAt.getTime() + 800 * DAY_MS),
    );
  }

  it("extends an open request once, by the law's extension, and prints the notice in the person's language", async () => {
    const h = harness!;
    const dora = h.chat('dora', { localeHint: 'de' });
    await dora.press('consent:none:de');
    const request = await openRequest(dora.subjectId);
    const extendedDue = h.app.services.rights.deadline.extendedDueAt(request.receivedAt);

    const result = await cli(['extend', '--request', request.id, '--reason', 'complexity']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`extended request ${request.id} (erasure,`);
    expect(result.stdout).toContain(`${extendedDue.toISOString().slice(0, 16).replace('T', ' ')} UTC (GDPR`);
    expect(result.stdout).toContain('in their language (de)');
    expect(result.stdout).toContain(
      `(Referenz ${request.id}): Ich brauche mehr Zeit, um sie zu beantworten, weil sie aufwendig ist.`,
    );
    const [stored] = (await h.app.services.stores.rightsRequests.list({ subjectId: dora.subjectId })).filter(
      (row) => row.id === request.id,
    );
    expect(stored).toMatchObject({ status: 'open', dueAt: extendedDue });

    // Once only; never an unknown or answered request; the reason is one the law accepts.
    const again = await cli(['extend', '--request', request.id, '--reason', 'volume']);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toContain('extended once already');
    const unknown = await cli(['extend', '--request', 'rr_00000000', '--reason', 'volume']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no open request has that id');
    const reason = await cli(['extend', '--request', request.id, '--reason', 'busy']);
    expect(reason.code).toBe(2);
    expect(reason.stderr).toContain('--reason is required: complexity or volume');
  });

  it('says when a request came by chat that the bot cannot deliver the notice by itself', async () => {
    const h = harness!;
    const ana = h.chat('ana');
    await ana.press('consent:none:en');
    const request = await openRequest(ana.subjectId, 'telegram');
    const result = await cli(['extend', '--request', request.id, '--reason', 'volume']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('because I received many requests at the same time');
    expect(result.stdout).toContain('note: the request came by chat (telegram)');
  });
});

describe('npm run privacy -- policy', () => {
  it('prints the policy for this configuration, in one language, from the same texts as /privacy', async () => {
    env = { ...env, CONTROLLER_NAME: 'Beispiel GmbH', CONTROLLER_ADDRESS: 'Hauptstraße 1, 10115 Berlin' };
    const result = await cli(['policy', '--locale', 'de']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^# Datenschutzerklärung\n/);
    expect(result.stdout).toContain(
      'Verantwortlich für deine Daten: Beispiel GmbH, Hauptstraße 1, 10115 Berlin.',
    );
    const [privacy] = await harness!.chat('dora', { localeHint: 'de' }).send('/privacy');
    // The same complaint sentence in both (the bot's own configuration has the default contact).
    expect(result.stdout).toContain(
      privacy!.text.split('\n\n').find((part) => part.startsWith('Fragen oder Beschwerden'))!,
    );
  });

  it('writes every language with --out-dir, and --template gives the docs/ templates', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-policy-'));
    try {
      const result = await cli(['policy', '--template', '--out-dir', out]);
      expect(result.code).toBe(0);
      const written = (await fs.readdir(out)).sort();
      expect(written).toEqual(LOCALES.map((locale) => `privacy-policy.${locale}.md`).sort());
      for (const file of written)
        expect(await fs.readFile(path.join(out, file), 'utf8')).toBe(
          await fs.readFile(path.join(__dirname, '../../docs', file), 'utf8'),
        );
    } finally {
      await fs.rm(out, { recursive: true, force: true });
    }
    expect((await cli(['policy'])).code).toBe(2);
    expect((await cli(['policy', '--locale', 'xx'])).stderr).toContain('--locale: one of en, de, es, fr');
  });
});

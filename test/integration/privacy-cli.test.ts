import { randomBytes } from 'node:crypto';
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

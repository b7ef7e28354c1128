import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import en from '../../locales/en/translation.json';
import type { JsonReply } from '../support/chat-process';
import { openTestDatabase } from '../support/db';
import { consentActionFor } from '../support/consent-buttons';
import { ADULT_ACCEPTS_ALL, type TestApp, TEST_PEPPER, startTestApp } from '../support/test-app';

/**
 * Issue 12, item 7: the process is killed (SIGKILL: no shutdown hook, no checkpoint) while a
 * burst of turns is being written, then a new process starts on the same files. The database
 * opens, both files pass `PRAGMA integrity_check`, and every turn whose answer had been read
 * (from people with history consent) is in their history and decrypts.
 *
 * The bot runs as `npm run chat -- --json` does (node --import tsx src/main.ts --channel console
 * --json: one process, so a kill reaches the app itself), with its own DATA_DIR; stdin stays
 * open, so it is killed mid-burst and never exits by itself. SIGKILL goes to the process group,
 * as a supervisor (systemd, a container runtime) kills a service.
 */

const root = path.resolve(__dirname, '../..');
const PEOPLE = ['ana-raw-kill-1', 'bea-raw-kill-2'] as const;
/** Lines fed at once: far more than are answered before the kill. */
const BURST = 2000;
/** Kill after this many "remembered" answers were read. */
const ANSWERS_BEFORE_KILL = 40;

let harness: TestApp | undefined;
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(async () => {
  if (child?.pid !== undefined) await killGroup(child.pid);
  child = undefined;
  await harness?.db.drop();
  harness = undefined;
});

/** The environment of the test runner, minus anything that would pick other files or keys. */
function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'MONGODB_URI',
    'DATABASE_PATH',
    'DATA_KEYS_PATH',
    'LOCAL_MASTER_KEY',
    'KEY_PROVIDER',
    'APP_ENV',
    'TURN_RATE_LIMIT_PER_MINUTE',
  ]) {
    delete env[name];
  }
  return {
    ...env,
    DATA_DIR: dataDir,
    SUBJECT_ID_PEPPER: TEST_PEPPER,
    LOG_LEVEL: 'warn',
    // A burst from one person is what the rate limit is for; this test is about the writes.
    TURN_RATE_LIMIT_PER_MINUTE: '100000',
  };
}

/** SIGKILL to every process of the group, and wait until none is left. */
async function killGroup(pid: number): Promise<void> {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    return; // ESRCH: nobody left
  }
  for (let i = 0; i < 500; i++) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`process group ${pid} still alive after SIGKILL`);
}

function note(user: string, n: number): string {
  return `${user} note number ${n} is kept`;
}

describe('SIGKILL during a burst of writes (issue 12, item 7)', () => {
  it('a restart on the same files opens them intact and finds every answered turn in history', async () => {
    // The files the child writes: a test database's directory, closed until the restart below.
    const db = openTestDatabase();
    await db.close();

    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--channel', 'console', '--json'],
      { cwd: root, env: childEnv(db.dir), detached: true },
    );
    child = proc;
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Lines still buffered for stdin when the process dies fail with EPIPE: expected here.
    proc.stdin.on('error', () => undefined);

    // Each person's consent button as the bot issues it to them (signed: support/consent-buttons.ts).
    const env = { DATA_DIR: db.dir, SUBJECT_ID_PEPPER: TEST_PEPPER };
    const lines: string[] = await Promise.all(
      PEOPLE.map(async (user) =>
        JSON.stringify({ action: await consentActionFor(env, user, ADULT_ACCEPTS_ALL), user }),
      ),
    );
    for (let n = 0; n < BURST / PEOPLE.length; n++) {
      for (const user of PEOPLE) lines.push(JSON.stringify({ text: `remember that ${note(user, n)}`, user }));
    }

    const answered = new Map<string, number>(PEOPLE.map((user) => [user, 0]));
    const replies: JsonReply[] = [];
    const killed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let buffered = '';
    let total = 0;
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete.filter(Boolean)) {
        if (total >= ANSWERS_BEFORE_KILL) return;
        const reply = JSON.parse(line) as JsonReply;
        replies.push(reply);
        if (reply.text === en.memory.remembered) {
          answered.set(reply.user, (answered.get(reply.user) ?? 0) + 1);
          total++;
          if (total === ANSWERS_BEFORE_KILL) process.kill(-proc.pid!, 'SIGKILL');
        }
      }
    });
    // Everything at once and stdin left open: the process is busy writing when it is killed.
    proc.stdin.write(`${lines.join('\n')}\n`);

    const exit = await killed;
    // The app's own process (tsx's child) is gone too before anything opens the files.
    await killGroup(proc.pid!);
    // stderr rides along so that a process that died of something else says why.
    expect({ exit, stderr }).toMatchObject({ exit: { code: null, signal: 'SIGKILL' } });
    expect(total).toBe(ANSWERS_BEFORE_KILL);
    // No reply read was an apology or a "not saved" note: each answered turn claims to be stored.
    expect(replies.filter((reply) => /could not|not saved|sorry/i.test(reply.text))).toEqual([]);

    // Killed mid-way: the log still holds the last commits, no checkpoint ran at shutdown.
    expect(statSync(`${db.path}-wal`).size).toBeGreaterThan(0);

    // A new process on the same files (same pepper, the master key file the child created).
    harness = await startTestApp({}, db);
    const h = harness;
    expect(h.db.sqlite.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(h.db.keysSqlite.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(h.db.keysSqlite.prepare('SELECT count(*) AS n FROM data_keys').get()).toEqual({
      n: PEOPLE.length,
    });

    for (const user of PEOPLE) {
      const subjectId = h.app.services.subjectIds.of('console', user);
      const count = answered.get(user)!;
      const rows = h.db.sqlite
        .prepare("SELECT count(*) AS n FROM history WHERE subject_id = ? AND tag = 'note'")
        .get(subjectId) as { n: number } | undefined;
      // Each answered turn left its note (and possibly a few more turns that ran before the kill).
      expect(rows?.n ?? 0).toBeGreaterThanOrEqual(count);
      // ... and the burst was cut short: not every line had been handled.
      expect(rows?.n ?? 0).toBeLessThan(BURST / PEOPLE.length);
      const notes = (await h.app.services.stores.history.recent(subjectId, { limit: 10_000, tag: 'note' }))
        .map((entry) => entry.text)
        .reverse();
      const expected = Array.from({ length: count }, (_, n) => `remember that ${note(user, n)}`);
      expect(notes.slice(0, count)).toEqual(expected);
      // ... and the app serves the person from there on.
      const [recall] = await h.chat(user).send('what did I tell you?');
      expect(recall?.text).toContain(en.memory.recallIntro);
      expect(recall?.text).toContain(notes.at(-1)!.replace(/^remember that /, ''));
    }
  }, 60_000);
});

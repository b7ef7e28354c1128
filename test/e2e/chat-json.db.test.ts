import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADULT_ACCEPTS_ALL } from '../support/test-app';

const root = path.resolve(__dirname, '../..');

interface JsonReply {
  user: string;
  text: string;
  actions: Array<{ id: string; label: string }>;
}

/** Runs `npm run chat -- --json` as a person's script would, against the run's mongod. */
async function chat(lines: unknown[], env: Record<string, string>): Promise<JsonReply[]> {
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), 'src/main.ts', '--channel', 'console', '--json'],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stdin.end(
    lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n',
  );
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonReply);
}

describe('npm run chat -- --json', () => {
  it('runs the onboarding, /privacy, /stop and a German hint, one JSON line per reply', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-e2e-'));
    const env = { MONGODB_URI: `${process.env.MONGODB_URI}`.replace(/\/?$/, '/e2e_chat'), DATA_DIR: dataDir };
    const replies = await chat(
      [
        'hello',
        { action: ADULT_ACCEPTS_ALL },
        '/privacy',
        '/stop',
        { user: 'jonas', locale: 'de-DE', text: 'hallo' },
        '{"text": 5}',
      ],
      env,
    );
    expect(replies).toHaveLength(5);
    expect(replies[0]).toMatchObject({
      user: 'local-user',
      actions: expect.arrayContaining([{ id: 'consent:all:en', label: 'Accept all' }]),
    });
    expect(replies[1]!.text).toMatch(/You allowed/);
    expect(replies[2]!.text).toMatch(/What I store, why and for how long/);
    expect(replies[3]!.text).toMatch(/withdrew every consent/);
    expect(replies[4]).toMatchObject({ user: 'jonas' });
    expect(replies[4]!.text).toMatch(/Gesprächsverlauf/);

    // A second run on the same database remembers the decision.
    const again = await chat(['/consent'], env);
    expect(again[0]!.text).toMatch(/current choices/);
  }, 60_000);
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chatJson } from '../support/chat-process';
import { DATA_FILE, KEYS_FILE } from '../support/db';
import { consentActionFor } from '../support/consent-buttons';
import { ADULT_ACCEPTS_ALL, TEST_PEPPER } from '../support/test-app';

/** Nothing from the runner's environment chooses the storage: the default SQLite files in DATA_DIR. */
const chat = (lines: unknown[], env: Record<string, string>) =>
  chatJson(lines, env, ['MONGODB_URI', 'DATABASE_PATH', 'DATA_KEYS_PATH']);

describe('npm run chat -- --json', () => {
  let dataDir: string | undefined;

  afterEach(async () => {
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('runs the onboarding, /privacy, /stop and a German hint, one JSON line per reply', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-e2e-'));
    // A known pepper, so the test can sign the consent button the bot shows (support/consent-buttons.ts).
    const env = { DATA_DIR: dataDir, SUBJECT_ID_PEPPER: TEST_PEPPER };
    const replies = await chat(
      [
        'hello',
        { action: await consentActionFor(env, 'local-user', ADULT_ACCEPTS_ALL) },
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
      actions: expect.arrayContaining([
        { id: await consentActionFor(env, 'local-user', 'consent:all:en'), label: 'Accept all' },
      ]),
    });
    expect(replies[1]!.text).toMatch(/You allowed/);
    expect(replies[2]!.text).toMatch(/What I store, why and for how long/);
    expect(replies[3]!.text).toMatch(/withdrew every consent/);
    expect(replies[4]).toMatchObject({ user: 'jonas' });
    expect(replies[4]!.text).toMatch(/Gesprächsverlauf/);

    // The default storage: the data file and, beside it, the key file, in DATA_DIR; owner-only.
    const files = await fs.readdir(dataDir);
    expect(files).toEqual(expect.arrayContaining([DATA_FILE, KEYS_FILE]));
    for (const file of [DATA_FILE, KEYS_FILE])
      expect((await fs.stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);

    // A second run on the same files remembers the decision.
    const again = await chat(['/consent'], env);
    expect(again[0]!.text).toMatch(/current choices/);
  }, 60_000);
});

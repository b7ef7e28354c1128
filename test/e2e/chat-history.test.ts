import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chatJson } from '../support/chat-process';
import { type DatabaseFiles, dumpDatabase, openDatabaseFiles } from '../support/db';
import { consentActionFor } from '../support/consent-buttons';
import { ADULT_ACCEPTS_ALL, leaksIn } from '../support/test-app';

/**
 * Key material comes only from DATA_DIR (the generated master key and pepper), never the runner's
 * env; and nothing in the env chooses the storage: the default SQLite files in DATA_DIR.
 */
const chat = (lines: unknown[], env: Record<string, string>) =>
  chatJson(lines, env, [
    'SUBJECT_ID_PEPPER',
    'LOCAL_MASTER_KEY',
    'KEY_PROVIDER',
    'APP_ENV',
    'MONGODB_URI',
    'DATABASE_PATH',
    'DATA_KEYS_PATH',
  ]);

describe('npm run chat -- --json keeps history across runs', () => {
  let dataDir: string | undefined;
  let files: DatabaseFiles | undefined;

  afterEach(async () => {
    files?.close();
    files = undefined;
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('a second process with the same DATA_DIR recalls what the first was told', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-history-e2e-'));
    const env = { DATA_DIR: dataDir };

    // The person sees the notice first; that run also generates the pepper the consent button is
    // signed with (support/consent-buttons.ts), and stores nothing.
    expect((await chat(['hello'], env))[0]!.text).toMatch(/Before we chat/);
    const first = await chat(
      [
        { action: await consentActionFor(env, 'local-user', ADULT_ACCEPTS_ALL) },
        'remember that the code word is pineapple',
      ],
      env,
    );
    expect(first[0]!.text).toMatch(/You allowed/);
    // Two replies, not three: no "could not save" note after the note was taken.
    expect(first).toHaveLength(2);
    // The local master key and the pepper the second run needs are in DATA_DIR.
    expect((await fs.readdir(dataDir)).sort()).toEqual(
      expect.arrayContaining(['local-master.key', 'subject-pepper']),
    );

    const second = await chat(['what did I tell you?'], env);
    expect(second).toHaveLength(1);
    expect(second[0]!.user).toBe('local-user');
    expect(second[0]!.text).toContain('the code word is pineapple');

    // Stored between the runs only encrypted: not in any row, not in any byte of the files.
    files = openDatabaseFiles(dataDir);
    const dump = await dumpDatabase(files);
    expect(dump.tables.get('history')?.length).toBeGreaterThan(0);
    expect(dump.tables.get('data_keys')).toHaveLength(1);
    expect(leaksIn(dump.text, ['pineapple', 'local-user'])).toEqual([]);
  }, 90_000);
});

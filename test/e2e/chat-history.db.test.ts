import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { withDatabaseName } from '../integration/kms/key-test-database';
import { chatJson } from '../support/chat-process';
import { ADULT_ACCEPTS_ALL, dumpDatabase, leaksIn } from '../support/test-app';

/** Key material comes only from DATA_DIR (the generated master key and pepper), never the runner's env. */
const chat = (lines: unknown[], env: Record<string, string>) =>
  chatJson(lines, env, ['SUBJECT_ID_PEPPER', 'LOCAL_MASTER_KEY', 'KEY_PROVIDER', 'APP_ENV']);

describe('npm run chat -- --json keeps history across runs', () => {
  let dataDir: string | undefined;
  let uri: string | undefined;

  afterEach(async () => {
    if (uri) {
      const connection = await mongoose.createConnection(uri).asPromise();
      await connection.dropDatabase();
      await connection.close();
    }
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('a second process with the same DATA_DIR and database recalls what the first was told', async () => {
    const baseUri = process.env.MONGODB_URI;
    if (!baseUri) throw new Error('MONGODB_URI is not set: run the suite with `npm test`');
    uri = withDatabaseName(baseUri, `e2e_history_${randomBytes(6).toString('hex')}`);
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-history-e2e-'));
    const env = { MONGODB_URI: uri, DATA_DIR: dataDir };

    const first = await chat(
      [{ action: ADULT_ACCEPTS_ALL }, 'remember that the code word is pineapple'],
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

    // Stored between the runs only encrypted.
    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      const dump = await dumpDatabase(connection);
      expect(dump.collections.get('history')?.length).toBeGreaterThan(0);
      expect(leaksIn(dump.text, ['pineapple', 'local-user'])).toEqual([]);
    } finally {
      await connection.close();
    }
  }, 90_000);
});

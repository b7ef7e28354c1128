import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createApp } from '../../../src/app';
import { runPrivacyCli } from '../../../src/cli/privacy';
import { openSqliteBackend } from '../../../src/storage/sqlite/backend';
import { tableNames } from '../../support/db';
import { runCli } from '../../support/run-cli';
import { ADULT_ACCEPTS_ALL, type TestApp, leaksIn, startTestApp } from '../../support/test-app';

/**
 * `npm run privacy -- backup <destination>` on the files of a running bot: a consistent copy of
 * the data file, never the key file, so an erasure reaches the backup too (crypto-shredding).
 */

const SECRET = 'the code is 4711';

let harness: TestApp;
let backupDir: string;

beforeEach(async () => {
  harness = await startTestApp({ LOCAL_MASTER_KEY: randomBytes(32).toString('base64') });
  backupDir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-backup-'));
});

afterEach(async () => {
  await harness.db.drop();
  await fs.rm(backupDir, { recursive: true, force: true });
});

/** The CLI with the bot's own configuration, as the operator runs it beside the bot. */
function backup(destination: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(runPrivacyCli, ['backup', destination], {
    DATA_DIR: harness.db.dir,
    DATABASE_PATH: harness.db.path,
    DATA_KEYS_PATH: harness.db.keysPath,
    ...env,
  });
}

async function anaRemembers() {
  const ana = harness.chat('ana');
  await ana.send({ action: ADULT_ACCEPTS_ALL });
  await ana.send(`remember that ${SECRET}`);
  return ana;
}

describe('npm run privacy -- backup', () => {
  it('copies the data file while the bot runs, privately, and never the keys', async () => {
    const ana = await anaRemembers();
    const destination = path.join(backupDir, 'bot-backup.sqlite');

    const result = await backup(destination);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`backed up ${harness.db.path}`);
    expect(result.stdout).toContain(`to ${destination}`);
    expect(result.stdout).toContain(`not in it: the wrapped data keys (${harness.db.keysPath})`);

    // Only the copy: no key file, no WAL or journal left beside it.
    expect(await fs.readdir(backupDir)).toEqual(['bot-backup.sqlite']);
    expect((await fs.stat(destination)).mode & 0o777).toBe(0o600);

    const copy = new Database(destination, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(tableNames(copy)).toEqual(tableNames(harness.db.sqlite));
      expect(tableNames(copy)).not.toContain('data_keys');
      const count = (handle: Database.Database) =>
        (
          handle.prepare('SELECT count(*) AS n FROM history WHERE subject_id = ?').get(ana.subjectId) as {
            n: number;
          }
        ).n;
      expect(count(copy)).toBeGreaterThan(0);
      expect(count(copy)).toBe(count(harness.db.sqlite));
    } finally {
      copy.close();
    }
    // Encrypted in the copy as in the original.
    expect(leaksIn((await fs.readFile(destination)).toString('utf8'), ['4711'])).toEqual([]);

    // The bot did not notice.
    const recall = await ana.send('what did I tell you?');
    expect(recall.map((reply) => reply.text).join('\n')).toContain('4711');
  });

  it('restores with the key file; after an erasure the same backup no longer opens for that person', async () => {
    const ana = await anaRemembers();
    const destination = path.join(backupDir, 'bot-backup.sqlite');
    expect((await backup(destination)).code).toBe(0);

    /** The backup opened as a restore would: the copy as the data file, the live key file beside it. */
    const restoredHistory = async () => {
      const restored = openSqliteBackend({
        path: destination,
        keysPath: harness.db.keysPath,
        logger: pino({ level: 'silent' }),
      });
      const app = await createApp({
        config: harness.config,
        logger: pino({ level: 'silent' }),
        storage: restored,
      });
      try {
        const entries = await app.services.stores.history.recent(ana.subjectId, { limit: 10 });
        return entries.map((entry) => entry.text);
      } finally {
        app.close();
        await restored.close();
      }
    };
    expect(await restoredHistory()).toContain(`remember that ${SECRET}`);

    await harness.app.services.rights.erase({ subjectId: ana.subjectId, origin: 'operator' });
    await expect(restoredHistory()).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
  });

  it('never overwrites a file, the database itself included', async () => {
    await anaRemembers();
    const before = await fs.readFile(harness.db.path);
    const intoDatabase = await backup(harness.db.path);
    expect(intoDatabase.code).toBe(1);
    expect(intoDatabase.stderr).toBe(
      'privacy: CONFIG_INVALID: <destination>: the file exists; refusing to overwrite it\n',
    );
    expect((await fs.readFile(harness.db.path)).equals(before)).toBe(true);

    const earlier = path.join(backupDir, 'earlier.sqlite');
    await fs.writeFile(earlier, 'an earlier backup');
    expect((await backup(earlier)).code).toBe(1);
    expect(await fs.readFile(earlier, 'utf8')).toBe('an earlier backup');
  });

  it('says to use mongodump when the bot runs on MongoDB, and connects to nothing', async () => {
    const destination = path.join(backupDir, 'bot-backup.sqlite');
    const result = await backup(destination, { MONGODB_URI: 'mongodb://127.0.0.1:1/bot' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^privacy: CONFIG_INVALID: MONGODB_URI is set: .*mongodump/);
    expect(result.stdout).toBe('');
    expect(await fs.readdir(backupDir)).toEqual([]);
  });
});

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
import { ADULT_ACCEPTS_ALL, type TestApp, chatAs, leaksIn, startTestApp } from '../../support/test-app';

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
  await ana.press(ADULT_ACCEPTS_ALL);
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
        await app.close();
        await restored.close();
      }
    };
    expect(await restoredHistory()).toContain(`remember that ${SECRET}`);

    await harness.app.services.rights.erase({ subjectId: ana.subjectId, origin: 'operator' });
    await expect(restoredHistory()).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
  });

  it('restores into a new bot: someone erased after the backup stays unreadable, everyone else intact (GDPR Art. 32)', async () => {
    const ana = await anaRemembers();
    await ana.send('call me Ana Example');
    const bea = harness.chat('bea');
    await bea.press(ADULT_ACCEPTS_ALL);
    await bea.send('remember that the gate code is 2207');
    await bea.send('call me Bea Example');
    const destination = path.join(backupDir, 'bot-backup.sqlite');
    expect((await backup(destination)).code).toBe(0);

    // After the backup, the live bot erases Ana: her rows go, and her key goes from the key file.
    await harness.app.services.rights.erase({ subjectId: ana.subjectId, origin: 'operator' });

    // The restore: the backup becomes the data file of a new bot in a directory of its own, beside
    // the live key file (the key file is never in a data backup); same pepper, same master key.
    const restoreDir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-restore-'));
    const restoredFile = path.join(restoreDir, 'bot.sqlite');
    await fs.copyFile(destination, restoredFile);
    const storage = openSqliteBackend({
      path: restoredFile,
      keysPath: harness.db.keysPath,
      logger: pino({ level: 'silent' }),
    });
    const restored = await createApp({ config: harness.config, logger: pino({ level: 'silent' }), storage });
    try {
      // Everyone else is intact, and the new bot serves them as before: notes, name, export.
      const beaAgain = chatAs(restored, 'bea');
      const [recall] = await beaAgain.send('what did I tell you?');
      expect(recall?.text).toContain('the gate code is 2207');
      const { fields } = (await restored.services.stores.profiles.get(beaAgain.subjectId))!;
      expect(fields).toEqual({ preferredName: 'Bea Example' });
      const exported = await restored.services.rights.exportFile({
        subjectId: beaAgain.subjectId,
        origin: 'operator',
      });
      expect(exported.historyCount).toBeGreaterThan(0);

      // Ana's rows came back with the backup, but not one of them can be read: her key is gone.
      const { stores } = restored.services;
      expect((await stores.history.summary(ana.subjectId)).count).toBeGreaterThan(0);
      expect((await stores.profiles.describe(ana.subjectId))?.fields).toEqual(['preferredName']);
      await expect(stores.history.recent(ana.subjectId, { limit: 10 })).rejects.toMatchObject({
        code: 'KEY_SHREDDED',
      });
      await expect(stores.profiles.get(ana.subjectId)).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
      const text = (await fs.readFile(restoredFile)).toString('utf8');
      expect(leaksIn(text, [SECRET, '4711', 'Ana Example'])).toEqual([]);

      // Who was erased after the backup: encrypted rows in the copy, no key in the key file. Erasing
      // them again in the restored bot (README "Storage") leaves only their ledgers, as on the live bot.
      const keyHolders = new Set(
        (
          harness.db.keysSqlite.prepare('SELECT subject_id FROM data_keys').all() as { subject_id: string }[]
        ).map((row) => row.subject_id),
      );
      const withContent = (
        storage.db.prepare('SELECT DISTINCT subject_id FROM history').all() as {
          subject_id: string;
        }[]
      ).map((row) => row.subject_id);
      expect(withContent.filter((subjectId) => !keyHolders.has(subjectId))).toEqual([ana.subjectId]);
      await restored.services.rights.erase({ subjectId: ana.subjectId, origin: 'operator' });
      for (const table of ['subjects', 'history', 'profiles', 'conversation_state'])
        expect(
          storage.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE subject_id = ?`).get(ana.subjectId),
        ).toEqual({
          n: 0,
        });
      const [beaStill] = await beaAgain.send('what did I tell you?');
      expect(beaStill?.text).toContain('the gate code is 2207');
    } finally {
      await restored.close();
      await storage.close();
      await fs.rm(restoreDir, { recursive: true, force: true });
    }
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

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../src/app';
import { runPrivacyCli } from '../../src/cli/privacy';
import { openSqliteBackend } from '../../src/storage/sqlite/backend';
import { runCli } from '../support/run-cli';
import { ADULT_ACCEPTS_ALL, type TestApp, chatAs, startTestApp } from '../support/test-app';

/**
 * Issue 16 (GDPR Art. 32, tested restore): a backup of the data file never holds the data keys, so
 * someone erased after the backup comes back from a restore as rows nobody can read, with a
 * consent state that would let the bot store for them again. `restore-check` finds them (encrypted
 * rows, no key) and erases those rows; everyone else is left as the backup had them.
 */

let harness: TestApp;
let workDir: string;

beforeEach(async () => {
  harness = await startTestApp({ LOCAL_MASTER_KEY: randomBytes(32).toString('base64') });
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-check-'));
});

afterEach(async () => {
  await harness.db.drop();
  await fs.rm(workDir, { recursive: true, force: true });
});

/** The CLI on `dataFile` with the live key file, the bot's pepper and master key, as the operator runs it. */
function privacy(argv: string[], dataFile: string) {
  return runCli(runPrivacyCli, argv, {
    DATA_DIR: harness.db.dir,
    SUBJECT_ID_PEPPER: harness.config.privacy.pepper,
    LOCAL_MASTER_KEY: harness.config.keys.localMasterKey,
    DATABASE_PATH: dataFile,
    DATA_KEYS_PATH: harness.db.keysPath,
  });
}

async function rowsOf(file: string, subjectId: string): Promise<Record<string, number>> {
  const storage = openSqliteBackend({
    path: file,
    keysPath: harness.db.keysPath,
    logger: pino({ level: 'silent' }),
  });
  try {
    return Object.fromEntries(
      ['subjects', 'conversation_state', 'history', 'profiles', 'consent_ledger', 'rights_requests'].map(
        (table) => [
          table,
          (
            storage.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE subject_id = ?`).get(subjectId) as {
              n: number;
            }
          ).n,
        ],
      ),
    );
  } finally {
    await storage.close();
  }
}

describe('npm run privacy -- restore-check', () => {
  it('after a restore, erases the rows of people erased since the backup, and only theirs', async () => {
    const ana = harness.chat('ana');
    await ana.press(ADULT_ACCEPTS_ALL);
    await ana.send('remember that the code is 4711');
    await ana.send('call me Ana Example');
    const bea = harness.chat('bea');
    await bea.press(ADULT_ACCEPTS_ALL);
    await bea.send('remember that the gate code is 2207');
    await bea.send('call me Bea Example');

    const backup = path.join(workDir, 'backup.sqlite');
    expect((await privacy(['backup', backup], harness.db.path)).code).toBe(0);
    // After the backup, Ana is erased on the live bot: her rows and her key go.
    await harness.app.services.rights.erase({ subjectId: ana.subjectId, origin: 'operator' });

    // The restore: the backup becomes the data file again, beside the live key file.
    const restored = path.join(workDir, 'restored.sqlite');
    await fs.copyFile(backup, restored);
    const anaBefore = await rowsOf(restored, ana.subjectId);
    const beaBefore = await rowsOf(restored, bea.subjectId);
    expect(anaBefore).toMatchObject({ subjects: 1, profiles: 1 });
    expect(anaBefore.history).toBeGreaterThan(0);

    // Dry run: counts only, nothing erased, exit 2.
    const dry = await privacy(['restore-check'], restored);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain('people:           1');
    expect(dry.stdout).toContain(`history entries:  ${anaBefore.history}`);
    expect(dry.stdout).toContain('profiles:         1');
    expect(dry.stderr).toContain('--yes');
    expect(await rowsOf(restored, ana.subjectId)).toEqual(anaBefore);

    const done = await privacy(['restore-check', '--yes'], restored);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toContain(`history entries:  ${anaBefore.history}`);

    // Ana's personal rows are gone; the evidence ledgers stay as the backup had them; Bea is intact.
    expect(await rowsOf(restored, ana.subjectId)).toEqual({
      ...anaBefore,
      subjects: 0,
      conversation_state: 0,
      history: 0,
      profiles: 0,
    });
    expect(await rowsOf(restored, bea.subjectId)).toEqual(beaBefore);

    // A bot on the restored file serves Bea as before, and Ana as a newcomer.
    const storage = openSqliteBackend({
      path: restored,
      keysPath: harness.db.keysPath,
      logger: pino({ level: 'silent' }),
    });
    const app = await createApp({ config: harness.config, logger: pino({ level: 'silent' }), storage });
    try {
      const [recall] = await chatAs(app, 'bea').send('what did I tell you?');
      expect(recall?.text).toContain('the gate code is 2207');
      const [hello] = await chatAs(app, 'ana').send('hello');
      expect(hello?.actions?.length).toBeGreaterThan(0);
    } finally {
      await app.close();
      await storage.close();
    }

    // Run again: nothing left to find.
    const again = await privacy(['restore-check'], restored);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to erase');
  });
});

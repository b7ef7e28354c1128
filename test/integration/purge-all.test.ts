import { existsSync, promises as fs } from 'node:fs';
import { openDatabaseFiles, tableNames } from '../support/db';
import { consentAction } from '../support/consent-buttons';
import { botWithOperatorPerTest } from '../support/bot-with-operator';
import { recordBreach } from '../support/breach-register';
import { ADULT_ACCEPTS_ALL, type TestApp, actionIds } from '../support/test-app';

/**
 * Shutting the bot down (Telegram's terms): `npm run privacy -- purge-all` on the bot's SQLite
 * files, after several people used it every way they can. Afterwards no personal row and no key
 * is left, in the tables or in the bytes of the files and their WALs; the evidence ledgers are
 * as they were.
 */

const PERSONAL_TABLES = ['subjects', 'conversation_state', 'history', 'profiles', 'profile_fields'];
const LEDGERS = ['consent_ledger', 'rights_requests', 'breaches', 'breach_notices'];
const SECRETS = ['my locker is 4711', 'Zanzibar Quartz', 'the spare key is under the blue pot'];

const bot = botWithOperatorPerTest();
const h = (): TestApp => bot.app;
const privacy = (argv: string[]) => bot.privacy(argv);

/** Rows per table in both files, read from the files themselves (the bot stopped). */
function rowCounts(): Record<string, number> {
  const files = openDatabaseFiles(h().db.dir);
  try {
    const counts: Record<string, number> = {};
    for (const handle of [files.sqlite, files.keysSqlite])
      for (const table of tableNames(handle))
        counts[table] = (handle.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return counts;
  } finally {
    files.close();
  }
}

function ledgerRows(): Record<string, unknown[]> {
  const files = openDatabaseFiles(h().db.dir);
  try {
    return Object.fromEntries(
      LEDGERS.map((table) => [table, files.sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]),
    );
  } finally {
    files.close();
  }
}

/** The raw bytes of the data file, the key file and their WALs. */
async function fileBytes(): Promise<Buffer> {
  const { path: data, keysPath } = h().db;
  const files = [data, `${data}-wal`, keysPath, `${keysPath}-wal`].filter((file) => existsSync(file));
  return Buffer.concat(await Promise.all(files.map((file) => fs.readFile(file))));
}

/** Five people, each with a different footprint. */
async function everyoneUsesTheBot(): Promise<{ wrappedKeys: Buffer[] }> {
  const ana = h().chat('ana');
  await ana.press(ADULT_ACCEPTS_ALL);
  await ana.send(`remember that ${SECRETS[0]}`);
  await ana.send(`call me ${SECRETS[1]}`);
  await ana.send('/delete'); // an open dialog step, waiting for the confirmation

  const ben = h().chat('ben');
  await ben.press(ADULT_ACCEPTS_ALL);
  await ben.send(`remember that ${SECRETS[2]}`);
  await ben.send('/restrict');

  const carl = h().chat('carl');
  await carl.press('consent:none:en');

  const dora = h().chat('dora');
  await dora.press(ADULT_ACCEPTS_ALL);
  await dora.send('remember that I was here');
  const explain = await dora.send('/delete');
  await dora.send({ action: actionIds(explain).find((id) => id.startsWith('delete:confirm:'))! });

  const emil = h().chat('emil', { channel: 'telegram', isPrivateChat: true });
  await emil.press(ADULT_ACCEPTS_ALL);
  await emil.send('/export');

  const wrappedKeys = (
    h().db.keysSqlite.prepare('SELECT wrapped FROM data_keys').all() as { wrapped: Buffer }[]
  ).map((row) => row.wrapped);
  return { wrappedKeys };
}

describe('npm run privacy -- purge-all', () => {
  it('dry run: counts only, exit 2, nothing changed', async () => {
    await everyoneUsesTheBot();
    await h().db.close(); // the bot is stopped
    const before = rowCounts();
    const dry = await privacy(['purge-all']);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain('dry run: nothing erased');
    expect(dry.stdout).toMatch(new RegExp(`consent states: +${before.subjects}\\n`));
    expect(dry.stdout).toMatch(new RegExp(`history entries: +${before.history}\\n`));
    expect(dry.stdout).toMatch(new RegExp(`data keys \\(shredded\\): +${before.data_keys}\\n`));
    expect(dry.stdout).toMatch(new RegExp(`consent ledger entries: +${before.consent_ledger}\\n`));
    expect(dry.stdout).toContain('1 person(s) restricted processing');
    expect(dry.stdout).toContain('docs/decommissioning.md');
    expect(dry.stderr).toContain('run again with --yes');
    for (const secret of SECRETS) expect(dry.stdout).not.toContain(secret);
    expect(rowCounts()).toEqual(before);
  });

  it('--yes: no personal row and no key is left, in the tables or the files; the ledgers stay', async () => {
    const { wrappedKeys } = await everyoneUsesTheBot();
    await recordBreach(privacy, { what: 'other', when: '2025-06-01', affected: 'all' });
    await h().db.close(); // the bot is stopped
    const before = rowCounts();
    for (const table of [...PERSONAL_TABLES, 'data_keys'])
      expect([table, before[table]]).not.toEqual([table, 0]);
    expect(wrappedKeys.length).toBe(3); // ana, ben, emil; dora's went with her erasure
    const ledgersBefore = ledgerRows();
    const files = openDatabaseFiles(h().db.dir);
    const sealed = [
      ...(files.sqlite.prepare('SELECT body FROM history').all() as { body: Buffer }[]).map(
        (row) => row.body,
      ),
      ...(files.sqlite.prepare('SELECT value FROM profile_fields').all() as { value: Buffer }[]).map(
        (row) => row.value,
      ),
    ];
    files.close();
    expect(sealed.length).toBeGreaterThan(3);
    const bytesBefore = await fileBytes();
    for (const stored of [...wrappedKeys, ...sealed]) expect(bytesBefore.includes(stored)).toBe(true);

    const purged = await privacy(['purge-all', '--yes']);
    expect(purged.code).toBe(0);
    expect(purged.stdout).toContain('every data key shredded');
    expect(purged.stdout).toMatch(/data keys \(shredded\): +3\n/);
    expect(purged.stdout).toMatch(/the last of it expires \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

    const after = rowCounts();
    for (const table of [...PERSONAL_TABLES, 'data_keys']) expect([table, after[table]]).toEqual([table, 0]);
    expect(ledgerRows()).toEqual(ledgersBefore);
    for (const table of LEDGERS) expect(after[table]).toBe(before[table]);

    const bytes = await fileBytes();
    for (const wrapped of wrappedKeys) expect(bytes.includes(wrapped)).toBe(false);
    // Not even the ciphertext: secure_delete overwrote the rows, and the WALs were emptied.
    for (const blob of sealed) expect(bytes.includes(blob)).toBe(false);
    for (const secret of SECRETS) expect(bytes.includes(Buffer.from(secret))).toBe(false);

    // A second run finds nothing; the bot started again knows nobody.
    expect((await privacy(['purge-all', '--yes'])).stdout).toMatch(/consent states: +0\n/);
    await bot.restart();
    // (Her first reply is the breach notice: she had records when it was recorded.)
    expect(actionIds(await h().chat('ana').send('hello'))).toContain(
      consentAction(h().app, 'ana', 'consent:all:en'),
    );
  });
});

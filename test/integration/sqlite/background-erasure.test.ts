import { type ErasureReport, eraseSubject } from '../../../src/privacy/rights/erasure';
import type { HistoryEntryInput } from '../../../src/storage/ports';
import { ERASE_AT_ONCE, HistoryEraser } from '../../../src/storage/sqlite/history-eraser';
import { SqliteHistoryStore } from '../../../src/storage/sqlite/history-store';
import pino from 'pino';
import { ADULT_ACCEPTS_ALL, type TestApp, startTestApp } from '../../support/test-app';

/**
 * Erasure of a long history (src/storage/sqlite/history-eraser.ts): the erasure's transaction
 * deletes the consent state, dialog state, profile and the first ERASE_AT_ONCE history lines, hides
 * the rest from every read, and the key is shredded; the rest is deleted in the background. A
 * process that stops before that ends leaves rows nobody can read, which the next process's first
 * retention pass deletes.
 */

let harness: TestApp | undefined;
afterEach(async () => {
  jest.restoreAllMocks();
  await harness?.db.drop();
  harness = undefined;
});

const DAY_MS = 86_400_000;

/** Ana has consented and holds `lines` history lines (plus those of her consent turn). */
async function withHistory(h: TestApp, user: string, lines: number): Promise<string> {
  const person = h.chat(user);
  await person.press(ADULT_ACCEPTS_ALL);
  const { history } = h.app.services.stores;
  const first = Date.now() - lines * 1000;
  for (let offset = 0; offset < lines; offset += 500) {
    const entries: HistoryEntryInput[] = [];
    for (let index = offset; index < Math.min(lines, offset + 500); index++)
      entries.push({
        subjectId: person.subjectId,
        conversationId: 'c',
        speaker: index % 2 === 0 ? 'person' : 'bot',
        text: `line ${index} of ${user}`,
        at: new Date(first + index * 1000),
      });
    await history.append(entries, new Date(Date.now() + DAY_MS));
  }
  return person.subjectId;
}

const rowsOf = (h: TestApp, subjectId: string) =>
  (
    h.db.sqlite.prepare(`SELECT count(*) AS n FROM history WHERE subject_id = ?`).get(subjectId) as {
      n: number;
    }
  ).n;

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

async function erase(h: TestApp, subjectId: string): Promise<ErasureReport> {
  return eraseSubject(h.app.services.stores, h.app.encryption.dataKeys, subjectId);
}

describe('erasure of a long history', () => {
  it('hides everything at once, counts every line, and the background delete removes the rest', async () => {
    const h = (harness = await startTestApp());
    const ana = await withHistory(h, 'ana-long', 3000);
    const bea = await withHistory(h, 'bea-short', 10);
    const beaRows = rowsOf(h, bea);
    const stored = rowsOf(h, ana);
    expect(stored).toBeGreaterThan(ERASE_AT_ONCE * 5);

    const report = await erase(h, ana);
    expect(report).toMatchObject({ keyShredded: true, consentState: true, history: stored });
    // Every read is empty at once, whatever is still in the table.
    const { history } = h.app.services.stores;
    expect(await history.summary(ana)).toEqual({ count: 0, paused: 0 });
    expect(await history.recent(ana, { limit: 50 })).toEqual([]);
    const exported: unknown[] = [];
    for await (const entry of history.iterate(ana)) exported.push(entry);
    expect(exported).toEqual([]);
    // A second erasure finds nothing left to remove (E2).
    expect(await erase(h, ana)).toMatchObject({ history: 0, keyShredded: false });

    await waitFor(() => rowsOf(h, ana) === 0);
    expect(rowsOf(h, bea)).toBe(beaRows);
    expect((await history.summary(bea)).count).toBe(beaRows);
  });

  it('a person who comes back while the rest is being deleted keeps only what they write anew', async () => {
    const h = (harness = await startTestApp());
    const ana = await withHistory(h, 'ana-back', 5000);
    await erase(h, ana);

    const back = h.chat('ana-back');
    await back.press(ADULT_ACCEPTS_ALL);
    await back.send('remember that I came back');
    const { history } = h.app.services.stores;
    const texts = (await history.recent(ana, { limit: 100 })).map((entry) => entry.text);
    expect(texts).toContain('remember that I came back');
    expect(texts.filter((text) => text.startsWith('line '))).toEqual([]);

    await waitFor(() => rowsOf(h, ana) === texts.length);
    expect((await history.recent(ana, { limit: 100 })).map((entry) => entry.text)).toEqual(texts);
  });

  it('a process that stops before the background delete ends: the next first retention pass deletes the rest', async () => {
    const h = (harness = await startTestApp());
    const ana = await withHistory(h, 'ana-crash', 5000);
    const bea = await withHistory(h, 'bea-stays', 10);
    const beaRows = rowsOf(h, bea);
    await erase(h, ana);
    // Closing stops the background delete after its current batch.
    await h.db.close();
    const reopened = await startTestApp({}, h.db);
    harness = reopened;
    const left = rowsOf(reopened, ana);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(5000);
    // Nobody can read them: no consent state, no data key.
    expect(await reopened.app.services.stores.subjects.get(ana)).toBeNull();
    expect(await reopened.db.backend.dataKeys.find(ana)).toBeUndefined();

    await reopened.db.backend.sweepExpired(new Date());
    expect(rowsOf(reopened, ana)).toBe(0);
    expect(rowsOf(reopened, bea)).toBe(beaRows);
    expect((await reopened.app.services.stores.history.recent(bea, { limit: 5 })).length).toBe(5);
  });

  it('a process that stops between the delete and the key shred: the next first retention pass deletes the rest', async () => {
    const h = (harness = await startTestApp());
    const ana = await withHistory(h, 'ana-no-shred', 5000);
    // The shred never happens in this process: the erasure request stays unfinished in the ledger.
    jest
      .spyOn(h.app.encryption.dataKeys, 'shred')
      .mockRejectedValueOnce(Object.assign(new Error('simulated'), { code: 'SQLITE_IOERR' }));
    await expect(h.app.services.rights.erase({ subjectId: ana, origin: 'operator' })).rejects.toThrow();
    await h.db.close();
    const reopened = await startTestApp({}, h.db);
    harness = reopened;
    expect(rowsOf(reopened, ana)).toBeGreaterThan(0);
    // The key is still there, so the rows could be read: gone before the first turn.
    expect(await reopened.db.backend.dataKeys.find(ana)).toBeDefined();

    await reopened.db.backend.sweepExpired(new Date());
    expect(rowsOf(reopened, ana)).toBe(0);
  });

  it('rows written after the highest hidden rows were deleted still land above them, visible and kept', async () => {
    const h = (harness = await startTestApp());
    const ana = await withHistory(h, 'ana-top', 300);
    const { db } = h;
    // The store and eraser on the app's files, with the background delete held back: the test
    // plays its progress itself.
    const eraser = new HistoryEraser(db.sqlite, db.keysSqlite, () => undefined, pino({ level: 'silent' }));
    const history = new SqliteHistoryStore(
      db.sqlite,
      h.app.encryption.cipher,
      () => new Date(),
      () => undefined,
      eraser,
    );
    eraser.hide(ana, eraser.newestRow());
    expect(await history.summary(ana)).toEqual({ count: 0, paused: 0 });
    // The background delete got as far as the highest rows: SQLite would now hand out their seq again.
    db.sqlite.prepare(`DELETE FROM history WHERE seq > (SELECT max(seq) - 50 FROM history)`).run();

    await history.append(
      [{ subjectId: ana, conversationId: 'c', speaker: 'person', text: 'written after', at: new Date() }],
      new Date(Date.now() + DAY_MS),
    );
    expect((await history.recent(ana, { limit: 5 })).map((entry) => entry.text)).toEqual(['written after']);
    await eraser.schedule();
    expect((await history.recent(ana, { limit: 5 })).map((entry) => entry.text)).toEqual(['written after']);
    expect(rowsOf(h, ana)).toBe(1);
  });
});

import type { Locale } from '../../src/i18n/locales';
import { EVIDENCE_TABLES, PERSONAL_TABLES, textsIn } from '../support/engine-db-checks';
import { type TestApp, startTestApp } from '../support/test-app';

/**
 * Issue 12, item 7: the disk fills up under the running app. default-backend-proofs.test.ts
 * covers a closed handle, a read-only database (query_only) and a write failing at its second
 * statement (a trigger); this is the real SQLITE_FULL, from a page limit on the data file's own
 * handle (`PRAGMA max_page_count`), so SQLite's pager refuses to grow the file mid-transaction.
 *
 * Which writes still fit in the pages already there is up to SQLite, so the test asserts per
 * write: it is kept whole or not at all, and the reply says which.
 */

let harness: TestApp | undefined;

afterEach(async () => {
  await harness?.db.drop();
  harness = undefined;
});

function t(h: TestApp, locale: Locale, key: string): string {
  return h.app.services.i18n.translator(locale)(key);
}

function rowsOf(h: TestApp, table: string, subjectId: string): number {
  const handle = table === 'data_keys' ? h.db.keysSqlite : h.db.sqlite;
  return (
    handle.prepare(`SELECT count(*) AS n FROM "${table}" WHERE subject_id = ?`).get(subjectId) as {
      n: number;
    }
  ).n;
}

function rowsPerTable(h: TestApp, subjectId: string): Record<string, number> {
  return Object.fromEntries(
    [...PERSONAL_TABLES, ...EVIDENCE_TABLES].map((table) => [table, rowsOf(h, table, subjectId)]),
  );
}

function integrity(h: TestApp): unknown {
  return [h.db.sqlite.pragma('integrity_check'), h.db.keysSqlite.pragma('integrity_check')];
}

const OK = [[{ integrity_check: 'ok' }], [{ integrity_check: 'ok' }]];

describe('disk full (PRAGMA max_page_count) under the running app (issue 12, item 7)', () => {
  it('a write that does not fit is an apology and leaves nothing half-written; others are served; space back, the same requests succeed', async () => {
    const h = (harness = await startTestApp());
    const ana = h.chat('ana-raw-disk-1', { localeHint: 'de-DE' });
    const bea = h.chat('bea-raw-disk-2', { localeHint: 'es' });
    await ana.press('consent:age:111:adult:de');
    await bea.press('consent:age:111:adult:es');
    await ana.send('merk dir, dass der Spindcode 4711 ist');
    await bea.send('recuerda que mi bici es verde');
    const anaBefore = rowsPerTable(h, ana.subjectId);
    const beaBefore = rowsPerTable(h, bea.subjectId);

    // The disk is full: not one page more for the data file, and no free page inside it.
    const pages = h.db.sqlite.pragma('page_count', { simple: true }) as number;
    expect(h.db.sqlite.pragma('freelist_count', { simple: true })).toBe(0);
    h.db.sqlite.pragma(`max_page_count = ${pages}`);

    // A note far larger than a page: the reply goes out, with the note that nothing was kept.
    const longNote = `merk dir, dass ${'die lange Notiz '.repeat(200)}endet`;
    const noted = await ana.send(longNote);
    expect(noted.map((reply) => reply.text)).toEqual([
      t(h, 'de', 'memory.remembered'),
      t(h, 'de', 'history.notSaved'),
    ]);
    expect(rowsPerTable(h, ana.subjectId)).toEqual(anaBefore);

    // Newcomers decide one after another until the pages run out. Each decision (consent state
    // and its ledger entries, one transaction) is kept whole with a confirmation, or not at all
    // with the apology, in the person's language.
    const fr = textsIn(h, 'fr');
    let refused: ReturnType<typeof h.chat> | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const person = h.chat(`newcomer-raw-${i}`, { localeHint: 'fr' });
      const replies = (await person.press('consent:age:111:adult:fr')).map((r) => r.text);
      const rows = rowsPerTable(h, person.subjectId);
      if (replies[0] === t(h, 'fr', 'errors.storageUnavailable')) {
        expect(replies).toHaveLength(1);
        expect(rows).toEqual(Object.fromEntries(Object.keys(rows).map((table) => [table, 0])));
        refused = person;
      } else {
        expect(replies[0]).toBe(fr.savedAll);
        expect({ subjects: rows.subjects, consent_ledger: rows.consent_ledger }).toEqual({
          subjects: 1,
          consent_ledger: 3,
        });
        // The confirmation itself goes to history whole (one row, one key) or not at all, and says so.
        if (rows.history === 0) expect(replies).toEqual([fr.savedAll, t(h, 'fr', 'history.notSaved')]);
        else expect({ replies, history: rows.history }).toEqual({ replies: [fr.savedAll], history: 1 });
      }
    }
    expect(refused).toBeDefined();

    // Reads need no page: Bea is served as usual, and Ana's earlier note is still there.
    const [recall] = await bea.send('qué te dije');
    expect(recall?.text).toContain(t(h, 'es', 'memory.recallIntro'));
    expect(recall?.text).toContain('mi bici es verde');
    expect(rowsPerTable(h, bea.subjectId)).toEqual(beaBefore);
    const [anaRecall] = await ana.send('was habe ich dir erzählt?');
    expect(anaRecall?.text).toContain('der Spindcode 4711 ist');
    expect(anaRecall?.text).not.toContain('die lange Notiz');
    expect(integrity(h)).toEqual(OK);

    // Space again: the same tap is recorded once, and the long note is kept.
    h.db.sqlite.pragma('max_page_count = 1073741823');
    const [saved] = await refused!.press('consent:age:111:adult:fr');
    expect(saved?.text).toBe(fr.savedAll);
    expect(rowsOf(h, 'consent_ledger', refused!.subjectId)).toBe(3);
    expect((await ana.send(longNote)).map((reply) => reply.text)).toEqual([t(h, 'de', 'memory.remembered')]);
    const [again] = await ana.send('was habe ich dir erzählt?');
    expect(again?.text).toContain('die lange Notiz');
    expect(integrity(h)).toEqual(OK);
  });
});

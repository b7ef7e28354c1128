import { retentionText } from '../../dialogs/privacy/retention-text';
import { AppError, StorageUnavailableError } from '../../src/core/errors';
import { ErasureIncompleteError, type KeyShredder, eraseSubject } from '../../src/privacy/rights/erasure';
import type { Stores } from '../../src/storage/ports';
import type { Row } from '../support/db';
import { allTables, rowsMentioning } from '../support/db';
import { EVIDENCE_TABLES, PERSONAL_TABLES, textsIn } from '../support/engine-db-checks';
import {
  ADULT_ACCEPTS_ALL,
  type TestApp,
  type TestDatabase,
  actionIds,
  startTestApp,
} from '../support/test-app';

/**
 * Issue 12, item 7: an erasure (src/privacy/rights/erasure.ts: delete everything in one
 * transaction, then shred the data key; the rights ledger records the request around both) is
 * interrupted after any step, and then run again. The second run completes, reports what it
 * removed, and leaves the person only in the evidence ledgers, with no key.
 *
 * The storage contract proves each step idempotent and the erasure race; here the interruptions
 * are injected into the real app on a real SQLite file: a failing statement inside the delete
 * transaction, a key shredder that fails, a ledger that cannot record the completion, and a
 * process that dies between the steps. The second run is a new app on the same files.
 */

let harness: TestApp | undefined;

afterEach(async () => {
  jest.restoreAllMocks();
  await harness?.db.drop();
  harness = undefined;
});

const RAW_ANA = 'ana-raw-erase-1';
const RAW_BEA = 'bea-raw-erase-2';

/** Ana with a row in every personal table (an open /delete is her dialog state), Bea beside her. */
async function fill(h: TestApp) {
  const ana = h.chat(RAW_ANA);
  const bea = h.chat(RAW_BEA);
  for (const person of [ana, bea]) {
    await person.press(ADULT_ACCEPTS_ALL);
    await person.send('call me Sam Example');
    await person.send('remember that my locker code is 4711');
  }
  const explain = await ana.send('/delete');
  const confirm = actionIds(explain).find((id) => id.startsWith('delete:confirm:'))!;
  expect(Object.keys(Object.fromEntries(rowsMentioning(h.db, ana.subjectId))).sort()).toEqual(
    [...PERSONAL_TABLES, 'consent_ledger'].sort(),
  );
  return { ana, bea, confirm };
}

function count(db: TestDatabase, table: string, subjectId: string): number {
  const handle = table === 'data_keys' ? db.keysSqlite : db.sqlite;
  return (
    handle.prepare(`SELECT count(*) AS n FROM "${table}" WHERE subject_id = ?`).get(subjectId) as {
      n: number;
    }
  ).n;
}

function personalCounts(db: TestDatabase, subjectId: string): Record<string, number> {
  return Object.fromEntries(PERSONAL_TABLES.map((table) => [table, count(db, table, subjectId)]));
}

const NOTHING = Object.fromEntries(PERSONAL_TABLES.map((table) => [table, 0]));

function erasureRequests(db: TestDatabase, subjectId: string) {
  return db.sqlite
    .prepare(
      "SELECT id, status, outcome FROM rights_requests WHERE subject_id = ? AND type = 'erasure' ORDER BY received_at, rowid",
    )
    .all(subjectId) as { id: string; status: string; outcome: string | null }[];
}

/** Every row of every table but the rights ledger (which the attempt itself writes to). */
function everythingButRequests(db: TestDatabase): Record<string, Row[]> {
  return Object.fromEntries([...allTables(db)].filter(([name]) => name !== 'rights_requests'));
}

/** An I/O error raised inside the delete transaction, after the consent state was deleted. */
function failHistoryDeletes(db: TestDatabase): void {
  db.sqlite.function('simulated_io_error', () => {
    throw Object.assign(new Error('disk I/O error (simulated)'), { code: 'SQLITE_IOERR' });
  });
  db.sqlite.exec(`
    CREATE TEMP TRIGGER fail_history_delete BEFORE DELETE ON main.history
    BEGIN SELECT simulated_io_error(); END`);
}

function ioError(): StorageUnavailableError {
  return new StorageUnavailableError('test', Object.assign(new Error('simulated'), { code: 'SQLITE_IOERR' }));
}

describe('erasure interrupted after any step, through the stores (eraseSubject)', () => {
  /** The real stores, with the eraser swapped for one that fails. */
  function withFailingEraser(stores: Stores): Stores {
    return {
      ...stores,
      personalData: { eraseAllOf: () => Promise.reject(ioError()) },
    };
  }

  it('delete fails: nothing is removed; the rerun removes everything and says so', async () => {
    const h = (harness = await startTestApp());
    const { ana, bea } = await fill(h);
    const { stores } = h.app.services;
    const keys = h.app.encryption.dataKeys;
    const before = personalCounts(h.db, ana.subjectId);
    const beaBefore = Object.fromEntries(rowsMentioning(h.db, bea.subjectId));

    const failed = eraseSubject(withFailingEraser(stores), keys, ana.subjectId);
    await expect(failed).rejects.toBeInstanceOf(ErasureIncompleteError);
    await expect(failed).rejects.toMatchObject({ step: 'delete', code: 'ERASURE_INCOMPLETE' });
    expect(personalCounts(h.db, ana.subjectId)).toEqual(before);

    expect(await eraseSubject(stores, keys, ana.subjectId)).toEqual({
      keyShredded: true,
      history: before.history,
      profile: true,
      conversations: 1,
      consentState: true,
    });
    expect(personalCounts(h.db, ana.subjectId)).toEqual(NOTHING);
    expect(Object.fromEntries(rowsMentioning(h.db, bea.subjectId))).toEqual(beaBefore);
  });

  it('shred-key fails after the delete: the data is gone, the key is not; the rerun shreds it and says so', async () => {
    const h = (harness = await startTestApp());
    const { ana } = await fill(h);
    const { stores } = h.app.services;
    const history = count(h.db, 'history', ana.subjectId);
    const failingShredder: KeyShredder = { shred: () => Promise.reject(ioError()) };

    await expect(eraseSubject(stores, failingShredder, ana.subjectId)).rejects.toMatchObject({
      step: 'shred-key',
    });
    expect(personalCounts(h.db, ana.subjectId)).toEqual({ ...NOTHING, data_keys: 1 });
    expect(history).toBeGreaterThan(0);

    expect(await eraseSubject(stores, h.app.encryption.dataKeys, ana.subjectId)).toEqual({
      keyShredded: true,
      history: 0,
      profile: false,
      conversations: 0,
      consentState: false,
    });
    expect(personalCounts(h.db, ana.subjectId)).toEqual(NOTHING);
  });

  it('a statement fails inside the delete transaction: not half a delete, and the rerun completes', async () => {
    const h = (harness = await startTestApp());
    const { ana } = await fill(h);
    const before = everythingButRequests(h.db);
    failHistoryDeletes(h.db);

    await expect(
      eraseSubject(h.app.services.stores, h.app.encryption.dataKeys, ana.subjectId),
    ).rejects.toMatchObject({ step: 'delete', cause: expect.any(AppError) as unknown });
    // The consent state was deleted before the history statement failed: rolled back with it.
    expect(everythingButRequests(h.db)).toEqual(before);

    h.db.sqlite.exec('DROP TRIGGER temp.fail_history_delete');
    const report = await eraseSubject(h.app.services.stores, h.app.encryption.dataKeys, ana.subjectId);
    expect(report).toMatchObject({ keyShredded: true, profile: true, consentState: true, conversations: 1 });
    expect(report.history).toBe(
      (before.history ?? []).filter((row) => row.subject_id === ana.subjectId).length,
    );
    expect(personalCounts(h.db, ana.subjectId)).toEqual(NOTHING);
  });
});

describe('erasure interrupted after any step, through the chat, then run again by a new process', () => {
  type Interruption = 'inside-delete' | 'after-delete' | 'after-shred-key' | 'process-dies-after-delete';

  /**
   * What each interruption leaves, what Ana is told, what the second /delete says, and the
   * outcome the completing request records (erasureOutcome: what that run removed).
   */
  const cases: {
    at: Interruption;
    firstReply: 'failed' | 'done' | 'none';
    left: (history: number) => Record<string, number>;
    secondReply: 'done' | 'nothingHeld';
    outcome: (history: number) => string;
  }[] = [
    {
      at: 'inside-delete',
      firstReply: 'failed',
      left: (history) => ({
        conversation_state: 1,
        data_keys: 1,
        history,
        profile_fields: 1,
        profiles: 1,
        subjects: 1,
      }),
      secondReply: 'done',
      outcome: (history) => `key=shredded history=${history} profile=1 state=1 consent=1`,
    },
    {
      at: 'after-delete',
      firstReply: 'failed',
      left: () => ({ ...NOTHING, data_keys: 1 }),
      secondReply: 'nothingHeld',
      outcome: () => 'key=shredded history=0 profile=0 state=0 consent=0',
    },
    {
      at: 'process-dies-after-delete',
      firstReply: 'none',
      left: () => ({ ...NOTHING, data_keys: 1 }),
      secondReply: 'nothingHeld',
      outcome: () => 'key=shredded history=0 profile=0 state=0 consent=0',
    },
    {
      at: 'after-shred-key',
      firstReply: 'done',
      left: () => NOTHING,
      secondReply: 'nothingHeld',
      outcome: () => 'key=none history=0 profile=0 state=0 consent=0',
    },
  ];

  it.each(cases)(
    'interrupted $at: the second /delete completes and the ledger says what it removed',
    async ({ at, firstReply, left, secondReply, outcome }) => {
      const h = (harness = await startTestApp());
      const { ana, bea, confirm } = await fill(h);
      const history = count(h.db, 'history', ana.subjectId);
      const beaBefore = Object.fromEntries(rowsMentioning(h.db, bea.subjectId));
      const en = textsIn(h, 'en');

      let replies: string[] | undefined;
      if (at === 'inside-delete') failHistoryDeletes(h.db);
      if (at === 'after-delete')
        jest.spyOn(h.app.encryption.dataKeys, 'shred').mockRejectedValueOnce(ioError());
      if (at === 'after-shred-key') {
        const ledger = h.app.services.stores.rightsRequests;
        const finish = ledger.finish.bind(ledger);
        jest
          .spyOn(ledger, 'finish')
          .mockImplementation((id, status, ...rest) =>
            status === 'completed' ? Promise.reject(ioError()) : finish(id, status, ...rest),
          );
      }
      if (at === 'process-dies-after-delete') {
        // The process dies once the delete has committed: the shred never runs, no reply is sent.
        jest.spyOn(h.app.encryption.dataKeys, 'shred').mockReturnValueOnce(new Promise<boolean>(() => {}));
        void ana.send({ action: confirm });
        await waitFor(() => count(h.db, 'subjects', ana.subjectId) === 0);
      } else {
        replies = (await ana.send({ action: confirm })).map((reply) => reply.text);
      }

      if (firstReply === 'failed') {
        expect(replies).toEqual([en.t('delete.failed', { code: 'ERASURE_INCOMPLETE' })]);
      } else if (firstReply === 'done') {
        expect(replies).toEqual([en.erased]);
      }
      expect(personalCounts(h.db, ana.subjectId)).toEqual(left(history));
      const first = erasureRequests(h.db, ana.subjectId);
      expect(first).toHaveLength(1);
      expect(first[0]!.status).toBe({ failed: 'failed', done: 'open', none: 'open' }[firstReply]);
      if (firstReply === 'failed') {
        expect(first[0]!.outcome).toMatch(
          at === 'inside-delete' ? /^ERASURE_INCOMPLETE@delete<-/ : /^ERASURE_INCOMPLETE@shred-key<-/,
        );
      }

      // Run again, from a new process on the same files.
      const restarted = await startTestApp({}, h.db);
      const again = restarted.chat(RAW_ANA);
      const asked = await again.send('/delete');
      // What the completing run will find: the history left, now with this /delete turn too.
      const historyAtRerun = count(restarted.db, 'history', ana.subjectId);
      if (secondReply === 'done') {
        const yes = actionIds(asked).find((id) => id.startsWith('delete:confirm:'));
        expect(yes).toBeDefined();
        const done = await again.send({ action: yes! });
        expect(done.map((reply) => reply.text)).toEqual([textsIn(restarted, 'en').erased]);
      } else {
        const { t } = textsIn(restarted, 'en');
        expect(asked.map((reply) => reply.text)).toEqual([
          t('delete.nothingHeld', {
            retention: retentionText(t, { months: restarted.config.retention.evidenceMonths }),
          }),
        ]);
      }

      // Only the evidence ledgers still name Ana, her key is gone, Bea is untouched.
      expect(personalCounts(restarted.db, ana.subjectId)).toEqual(NOTHING);
      expect([...rowsMentioning(restarted.db, ana.subjectId).keys()].sort()).toEqual(
        [...EVIDENCE_TABLES].sort(),
      );
      expect(Object.fromEntries(rowsMentioning(restarted.db, bea.subjectId))).toEqual(beaBefore);
      // The ledger: the request that completed says what it removed; none is left open.
      const requests = erasureRequests(restarted.db, ana.subjectId);
      expect(requests.filter((request) => request.status === 'open')).toEqual([]);
      expect(requests.at(-1)).toMatchObject({ status: 'completed', outcome: outcome(historyAtRerun) });
      // And Ana, writing again, is a newcomer: asked for consent, nothing stored.
      const [hello] = await again.send('hello');
      expect(hello?.text).toBe(textsIn(restarted, 'en').notice);
      expect(personalCounts(restarted.db, ana.subjectId)).toEqual(NOTHING);
    },
  );
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

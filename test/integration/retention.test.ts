import type { ConsentLedgerEntry } from '../../src/storage/ports';
import { rowsMentioning } from '../support/db';
import { type TestApp, startTestApp } from '../support/test-app';

/**
 * Retention on the default backend: SQLite has no TTL monitor, so backend.sweepExpired (run by
 * the RetentionSweeper at start-up and every RETENTION_SWEEP_SECONDS) deletes every row whose
 * expiry has passed, from every table with personal data, in bounded batches; rows whose clock a
 * restriction paused stay until it is lifted and their remaining time has run out. (MongoDB's TTL
 * indexes are tested in test/mongo/; the RetentionSweeper's timer and logs in
 * test/integration/sqlite/retention-sweeper.test.ts.)
 */

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const T0 = Date.parse('2026-11-02T09:00:00.000Z');

/** Every table the sweeper empties, and the rows profile_fields loses with its profile. */
const EXPIRING = [
  'breach_notices',
  'breaches',
  'consent_ledger',
  'conversation_state',
  'history',
  'profiles',
  'rights_requests',
  'subjects',
  'usage_counts',
] as const;

let now = T0;
let h: TestApp | undefined;

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  now = T0;
  h = await startTestApp(env, undefined, { clock: () => new Date(now) });
  return h;
}

afterEach(async () => {
  await h?.db.drop();
  h = undefined;
});

/**
 * One row in every personal table for `user`, all expiring at `expiresAt` (profile_fields with
 * its profile; the wrapped data key, created by the first sealed write, never expires).
 */
async function personWithEverything(app: TestApp, user: string, expiresAt: Date) {
  const { stores, subjectIds } = app.app.services;
  const subjectId = subjectIds.of('console', user);
  const conversationId = subjectIds.conversation('console', user);
  const at = new Date(now);
  const purposes = { history: true, personalization: true, analytics: false };
  await stores.subjects.saveDecision(
    { subjectId, policyVersion: '2026-11-01', purposes, decidedAt: at, locale: 'en' },
    expiresAt,
  );
  const entry = (purpose: ConsentLedgerEntry['purpose']): ConsentLedgerEntry => ({
    subjectId,
    purpose,
    decision: purposes[purpose] ? 'granted' : 'denied',
    policyVersion: '2026-11-01',
    noticeHash: 'a'.repeat(64),
    locale: 'en',
    channel: 'console',
    at,
  });
  await stores.consentLedger.append(
    [entry('history'), entry('personalization'), entry('analytics')],
    expiresAt,
  );
  await stores.conversations.save(
    subjectId,
    conversationId,
    { activeDialog: { dialogId: 'correct', step: 'value' } },
    expiresAt,
  );
  await stores.history.append(
    [
      { subjectId, conversationId, speaker: 'person', text: `${user} says hello`, at },
      { subjectId, conversationId, speaker: 'bot', text: `hello ${user}`, at },
    ],
    expiresAt,
  );
  await stores.profiles.set(subjectId, 'preferredName', `${user} Example`, at, expiresAt);
  const request = await stores.rightsRequests.open(
    { subjectId, type: 'access', origin: 'console', receivedAt: at, dueAt: new Date(now + 30 * DAY_MS) },
    expiresAt,
  );
  await stores.rightsRequests.finish(request.id, 'completed', 'history=2 profile=1', at);
  return { subjectId, conversationId };
}

/** Rows per table that name `subjectId` (in any column), data file and key file together. */
function rowsOf(app: TestApp, subjectId: string): Record<string, number> {
  return Object.fromEntries(
    [...rowsMentioning(app.db, subjectId)].map(([table, rows]) => [table, rows.length]),
  );
}

const EVERYTHING = {
  consent_ledger: 3,
  conversation_state: 1,
  data_keys: 1,
  history: 2,
  profile_fields: 1,
  profiles: 1,
  rights_requests: 1,
  subjects: 1,
};

describe('retention on SQLite: backend.sweepExpired', () => {
  it('deletes the expired rows of every personal table and keeps the rest, and the data keys', async () => {
    const app = await start();
    const ana = await personWithEverything(app, 'ana', new Date(T0 + HOUR_MS));
    const bea = await personWithEverything(app, 'bea', new Date(T0 + 2 * HOUR_MS));
    expect(rowsOf(app, ana.subjectId)).toEqual(EVERYTHING);

    // Nothing has expired yet: a pass deletes nothing.
    const nothing = await app.db.backend.sweepExpired(new Date(T0 + HOUR_MS - 1));
    expect(Object.values(nothing).reduce((sum, n) => sum + n, 0)).toBe(0);

    // Expired data is never read back, even before the sweeper has been round.
    now = T0 + HOUR_MS;
    const { stores } = app.app.services;
    expect(await stores.subjects.get(ana.subjectId)).toBeNull();
    expect(await stores.history.recent(ana.subjectId, { limit: 10 })).toEqual([]);
    expect(await stores.profiles.get(ana.subjectId)).toBeNull();
    expect(await stores.conversations.load(ana.subjectId, ana.conversationId)).toBeNull();
    expect(await stores.consentLedger.list(ana.subjectId)).toEqual([]);
    expect(await stores.rightsRequests.list({ subjectId: ana.subjectId })).toEqual([]);
    expect(rowsOf(app, ana.subjectId)).toEqual(EVERYTHING);

    // At the moment of expiry the pass deletes Ana's rows, every table, and nothing of Bea's.
    const deleted = await app.db.backend.sweepExpired(new Date(now));
    expect(deleted).toEqual({
      // No breach was recorded here (the contract suite's N4 sweeps breaches and their notices).
      breach_notices: 0,
      breaches: 0,
      consent_ledger: 3,
      conversation_state: 1,
      history: 2,
      profiles: 1,
      rights_requests: 1,
      subjects: 1,
      // The anonymous usage totals expire after RETENTION_ANALYTICS_MONTHS, not with a person.
      usage_counts: 0,
    });
    expect(Object.keys(deleted).sort()).toEqual([...EXPIRING]);
    // The profile's fields went with it; only the wrapped key stays (erasure shreds keys, not expiry).
    expect(rowsOf(app, ana.subjectId)).toEqual({ data_keys: 1 });
    expect(rowsOf(app, bea.subjectId)).toEqual(EVERYTHING);
    expect((await stores.history.recent(bea.subjectId, { limit: 10 })).map((entry) => entry.text)).toEqual([
      'hello bea',
      'bea says hello',
    ]);

    // A second pass finds nothing more.
    const again = await app.db.backend.sweepExpired(new Date(now));
    expect(Object.values(again).reduce((sum, n) => sum + n, 0)).toBe(0);
  });

  it('deletes in bounded batches, so a turn is never held for longer than one batch', async () => {
    const app = await start();
    const { stores, subjectIds } = app.app.services;
    const subjectId = subjectIds.of('console', 'chatty');
    const conversationId = subjectIds.conversation('console', 'chatty');
    const total = 1050;
    const batch = 100;
    // History is kept only for someone whose decision allows it (the store re-checks on write).
    await stores.subjects.saveDecision(
      {
        subjectId,
        policyVersion: '2026-11-01',
        purposes: { history: true, personalization: false, analytics: false },
        decidedAt: new Date(now),
      },
      new Date(T0 + DAY_MS),
    );
    await stores.history.append(
      Array.from({ length: total }, (_, i) => ({
        subjectId,
        conversationId,
        speaker: 'person' as const,
        text: `line ${i}`,
        at: new Date(T0 + i),
      })),
      new Date(T0 + MINUTE_MS),
    );
    const bea = await personWithEverything(app, 'bea', new Date(T0 + DAY_MS));
    const remaining = () =>
      (
        app.db.sqlite.prepare('SELECT count(*) AS n FROM history WHERE subject_id = ?').get(subjectId) as {
          n: number;
        }
      ).n;
    expect(remaining()).toBe(total);

    // Between two batches the sweep gives the event loop back: a sampler that runs once per turn of
    // the loop (a macrotask, like an incoming message) gets in between every two batches, and a
    // read for someone else gets through.
    let finished = false;
    const samples: number[] = [];
    const sweep = app.db.backend.sweepExpired(new Date(T0 + HOUR_MS), batch).then((counts) => {
      finished = true;
      return counts;
    });
    const sampled = new Promise<void>((resolve) => {
      const sample = () => {
        if (finished) return resolve();
        samples.push(remaining());
        setImmediate(sample);
      };
      setImmediate(sample);
    });
    expect(await stores.subjects.get(bea.subjectId)).not.toBeNull();
    await sampled;
    expect((await sweep).history).toBe(total);
    expect(remaining()).toBe(0);

    // Several turns' worth of chances to run, and never more than one batch deleted between two.
    expect(samples.length).toBeGreaterThanOrEqual(Math.floor(total / batch) - 1);
    const steps = samples.slice(1).map((count, i) => samples[i]! - count);
    expect(Math.max(...steps, total - samples[0]!)).toBeLessThanOrEqual(batch);
    expect(rowsOf(app, bea.subjectId)).toEqual(EVERYTHING);
  });

  it('keeps what a restriction paused, past any expiry, and deletes it once lifted and its time ran out', async () => {
    const app = await start();
    const ana = await personWithEverything(app, 'ana', new Date(T0 + HOUR_MS));
    const { rights } = app.app.services;

    // Restricted with 60 minutes left: history, profile and consent state stop their clocks.
    await rights.restrict({ subjectId: ana.subjectId, origin: 'console' });
    now = T0 + 365 * DAY_MS;
    await app.db.backend.sweepExpired(new Date(now));
    // Kept: the restricted data. Gone: the evidence ledgers and the dialog state, which Art. 18
    // does not pause (their own retention runs on; README "Data rights").
    expect(rowsOf(app, ana.subjectId)).toEqual({
      data_keys: 1,
      history: 2,
      profile_fields: 1,
      profiles: 1,
      rights_requests: 1, // the restriction request itself, 730 days of evidence
      subjects: 1,
    });
    const paused = app.db.sqlite
      .prepare(
        `SELECT 'history' AS t, expires_at, expiry_remaining_ms FROM history WHERE subject_id = @s
         UNION ALL SELECT 'profiles', expires_at, expiry_remaining_ms FROM profiles WHERE subject_id = @s
         UNION ALL SELECT 'subjects', expires_at, expiry_remaining_ms FROM subjects WHERE subject_id = @s`,
      )
      .all({ s: ana.subjectId });
    expect(paused).toEqual([
      { t: 'history', expires_at: null, expiry_remaining_ms: HOUR_MS },
      { t: 'history', expires_at: null, expiry_remaining_ms: HOUR_MS },
      { t: 'profiles', expires_at: null, expiry_remaining_ms: HOUR_MS },
      { t: 'subjects', expires_at: null, expiry_remaining_ms: HOUR_MS },
    ]);
    // Still readable for the person's own requests while restricted.
    expect((await app.app.services.stores.history.recent(ana.subjectId, { limit: 10 })).length).toBe(2);

    // Lifted: the 60 minutes run again from now.
    const lifted = now;
    await rights.liftRestriction({ subjectId: ana.subjectId, origin: 'console' });
    expect(await app.db.backend.sweepExpired(new Date(lifted + HOUR_MS - 1))).toMatchObject({
      history: 0,
      profiles: 0,
      subjects: 0,
    });
    expect(await app.db.backend.sweepExpired(new Date(lifted + HOUR_MS))).toMatchObject({
      history: 2,
      profiles: 1,
      subjects: 1,
    });
    expect(rowsOf(app, ana.subjectId)).toEqual({ data_keys: 1, rights_requests: 2 });
  });
});

import type { SqliteBackend } from '../../../src/storage/sqlite/backend';
import { DEFAULT_SWEEP_BATCH } from '../../../src/storage/sqlite/sweep';
import { type TestDatabase, openTestDatabase } from '../../support/db';

/**
 * The retention pass is time-sliced (src/storage/sqlite/sweep.ts): small batches with rests
 * between them, so live turns run while a big sweep goes on. It must still delete every expired
 * row, and only those.
 */

let db: TestDatabase;
let backend: SqliteBackend;
beforeEach(() => {
  db = openTestDatabase();
  backend = db.backend;
});
afterEach(() => db.drop());

function addStates(prefix: string, count: number, expiresAt: number): void {
  const insert = backend.db.prepare(`INSERT INTO conversation_state VALUES (?, 'c', NULL, 1, ?)`);
  backend.db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`${prefix}-${i}`, expiresAt);
  })();
}
const count = (where: string) =>
  (backend.db.prepare(`SELECT count(*) AS n FROM conversation_state WHERE ${where}`).get() as { n: number })
    .n;

describe('time-sliced retention sweep', () => {
  it('deletes every expired row over many batches, keeps the rest, and lets other work run between batches', async () => {
    const now = Date.now();
    const expired = DEFAULT_SWEEP_BATCH * 12 + 7;
    addStates('old', expired, now - 60_000);
    addStates('new', 500, now + 3_600_000);

    // Work queued right after the sweep starts runs before it ends: the sweep yields.
    let ranDuringSweep = false;
    let sweepDone = false;
    const sweep = backend.sweepExpired(new Date(now)).finally(() => (sweepDone = true));
    setImmediate(() => (ranDuringSweep = !sweepDone));
    const counts = await sweep;

    expect(ranDuringSweep).toBe(true);
    expect(counts.conversation_state).toBe(expired);
    expect(count(`subject_id LIKE 'old-%'`)).toBe(0);
    expect(count(`subject_id LIKE 'new-%'`)).toBe(500);
  });

  it('an explicit batch size still reaches every row', async () => {
    const now = Date.now();
    addStates('old', 1001, now - 60_000);
    const counts = await backend.sweepExpired(new Date(now), 100);
    expect(counts.conversation_state).toBe(1001);
    expect(count('1')).toBe(0);
  });
});

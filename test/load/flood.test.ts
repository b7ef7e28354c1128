import { documentCounts } from '../support/engine-db-checks';
import { type TestApp, startTestApp } from '../support/test-app';

/**
 * Issue 12, item 9: one person floods the bot with 1,000 messages a minute for two minutes
 * (TURN_RATE_LIMIT_PER_MINUTE is 30). The engine runs on a fake clock (startTestApp
 * extras.clock), so the two minutes take only as long as the turns. Per window the person gets
 * the first 30 turns answered, the rate-limit notice once, and then silence; refused turns cost
 * no storage at all (every table's rows are counted after every message).
 *
 * Each flood runs once (beforeAll); the tests below look at it from one side each, so a failure
 * names the one promise that is broken.
 */

const PER_MINUTE = 1000;
const MINUTES = 2;
const LIMIT = 30;
const STEP_MS = 60_000 / PER_MINUTE;
const T0 = Date.parse('2026-11-02T09:00:00Z');

/** Every row of every table, both files, summed. */
async function totalRows(h: TestApp): Promise<number> {
  return Object.values(await documentCounts(h.db)).reduce((sum, n) => sum + n, 0);
}

interface Window {
  /** Turns answered as usual (not the notice, not silence). */
  answered: number;
  /** Turns answered with the rate-limit notice. */
  notices: number;
  /** Turns with no reply at all. */
  silent: number;
  /** Index in the window of the first notice. */
  firstNoticeAt: number | undefined;
}

interface FloodResult {
  readonly windows: Window[];
  /** Rows added (all tables) by turns that got the notice or nothing. */
  readonly rowsOnRefusedTurns: number;
  /** Rows added by the whole flood. */
  readonly rowsAdded: number;
}

async function flood(h: TestApp, user: string, setNow: (ms: number) => void): Promise<FloodResult> {
  const person = h.chat(user, { localeHint: 'de-DE' });
  const notice = h.app.services.i18n.translator('de')('input.rateLimited');
  const windows: Window[] = [];
  const rowsBefore = await totalRows(h);
  let rows = rowsBefore;
  let rowsOnRefusedTurns = 0;
  for (let i = 0; i < PER_MINUTE * MINUTES; i++) {
    setNow(T0 + i * STEP_MS);
    const window = (windows[Math.floor(i / PER_MINUTE)] ??= {
      answered: 0,
      notices: 0,
      silent: 0,
      firstNoticeAt: undefined,
    });
    const texts = (await person.send(`Nachricht ${i} der Flut`)).map((reply) => reply.text);
    const after = await totalRows(h);
    const refused = texts.length === 0 || texts.includes(notice);
    if (texts.length === 0) window.silent++;
    else if (texts.includes(notice)) {
      window.notices++;
      window.firstNoticeAt ??= i % PER_MINUTE;
    } else window.answered++;
    if (refused) rowsOnRefusedTurns += after - rows;
    rows = after;
  }
  return { windows, rowsOnRefusedTurns, rowsAdded: rows - rowsBefore };
}

describe('one person flooding 1,000 messages a minute (issue 12, item 9)', () => {
  describe('a person who allowed history', () => {
    let h: TestApp;
    let result: FloodResult;
    let rowsPerAnsweredTurn: number;

    beforeAll(async () => {
      let now = T0 - 10 * 60_000;
      h = await startTestApp({}, undefined, { clock: () => new Date(now) });
      const ana = h.chat('ana-raw-flood-1', { localeHint: 'de-DE' });
      // Decided ten minutes before the flood, so that turn's window is long closed.
      await ana.press('consent:age:111:adult:de');
      // One answered turn outside the flood, to learn what an answered turn stores.
      now = T0 - 5 * 60_000;
      const before = await totalRows(h);
      await ana.send('Blumen sind schön');
      rowsPerAnsweredTurn = (await totalRows(h)) - before;
      result = await flood(h, 'ana-raw-flood-1', (ms) => (now = ms));
    }, 30_000);

    afterAll(async () => {
      await h?.db.drop();
    });

    it('has the first 30 turns of each window answered', () => {
      expect(result.windows.map((window) => window.answered)).toEqual(Array(MINUTES).fill(LIMIT));
    });

    it('gets the rate-limit notice once per window, right after the limit, and silence after it', () => {
      expect(result.windows).toEqual(
        Array(MINUTES).fill({
          answered: LIMIT,
          notices: 1,
          silent: PER_MINUTE - LIMIT - 1,
          firstNoticeAt: LIMIT,
        }),
      );
    });

    it('costs no storage for a refused turn, and exactly a normal turn’s for an answered one', () => {
      expect(rowsPerAnsweredTurn).toBe(2);
      expect(result.rowsOnRefusedTurns).toBe(0);
      expect(result.rowsAdded).toBe(MINUTES * LIMIT * rowsPerAnsweredTurn);
    });
  });

  describe('a person who never decided', () => {
    let h: TestApp;
    let result: FloodResult;

    beforeAll(async () => {
      let now = T0;
      h = await startTestApp({}, undefined, { clock: () => new Date(now) });
      result = await flood(h, 'bea-raw-flood-2', (ms) => (now = ms));
    }, 30_000);

    afterAll(async () => {
      await h?.db.drop();
    });

    it('has the first 30 turns of each window answered (with the consent notice)', () => {
      expect(result.windows.map((window) => window.answered)).toEqual(Array(MINUTES).fill(LIMIT));
    });

    it('gets the rate-limit notice once per window, right after the limit, and silence after it', () => {
      expect(result.windows).toEqual(
        Array(MINUTES).fill({
          answered: LIMIT,
          notices: 1,
          silent: PER_MINUTE - LIMIT - 1,
          firstNoticeAt: LIMIT,
        }),
      );
    });

    it('costs no storage at all', async () => {
      expect(result.rowsAdded).toBe(0);
      expect(await totalRows(h)).toBe(0);
    });
  });
});

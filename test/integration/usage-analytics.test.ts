import { createLogger } from '../../src/logging/logger';
import { ADULT_ACCEPTS_ALL, appPerTest, type TestApp } from '../support/test-app';

/**
 * The `analytics` purpose (issue 13, item 4), through the real engine on the default backend: who
 * allowed analytics is counted per feature (dialog) and UTC day, in memory until the tally is
 * written; who declined, withdrew or restricted is not; what is stored names nobody.
 */
const start = appPerTest({ ANALYTICS_FLUSH_SECONDS: '3600' });
const NOW = new Date('2041-03-01T10:00:00.000Z');
const clock = () => NOW;
/** The age screen's "16 or older" after choosing history and personalisation, not analytics. */
const ADULT_DECLINES_ANALYTICS = 'consent:age:110:adult:en';

interface UsageRow {
  day: string;
  feature: string;
  count: number;
  expires_at: number;
}

function usageRows(h: TestApp): UsageRow[] {
  return h.db.sqlite.prepare('SELECT * FROM usage_counts ORDER BY day, feature').all() as UsageRow[];
}

function countOf(h: TestApp, feature: string): number | undefined {
  return usageRows(h).find((row) => row.feature === feature)?.count;
}

it('counts the people who allowed analytics by feature, and not who declined, withdrew or restricted', async () => {
  const h = await start({}, undefined, { clock });
  const ana = h.chat('ana');
  await ana.press(ADULT_ACCEPTS_ALL);
  await ana.send('/help');
  await ana.send('/help');

  const bea = h.chat('bea');
  await bea.press(ADULT_DECLINES_ANALYTICS);
  await bea.send('/help');

  const cara = h.chat('cara');
  await cara.press(ADULT_ACCEPTS_ALL);
  await cara.send('/help');
  const [stopped] = await cara.send('/stop');
  expect(stopped?.text).toMatch(/withdrew every consent/);
  await cara.send('/help');

  const dan = h.chat('dan');
  await dan.press(ADULT_ACCEPTS_ALL);
  await dan.send('/restrict');
  await dan.send('/help');

  // The counting cost the turns no write: the counts are in memory until the flush.
  expect(usageRows(h)).toEqual([]);
  await h.app.services.usage.flush();

  expect(countOf(h, 'help')).toBe(3);
  for (const row of usageRows(h)) {
    expect(row.day).toBe('2041-03-01');
    expect(row.count).toBeGreaterThan(0);
    // A feature is a dialog id or `fallback`: nothing the person typed.
    expect(row.feature === 'fallback' || h.app.services.dialogs.byId(row.feature) !== undefined).toBe(true);
  }
  // Withdrawal and restriction were not counted as uses: the turn had stopped allowing analytics.
  expect(countOf(h, 'stop')).toBeUndefined();
  expect(countOf(h, 'restrict')).toBeUndefined();
  // Kept RETENTION_ANALYTICS_MONTHS (13) calendar months, to the end of that day.
  expect(new Set(usageRows(h).map((row) => row.expires_at))).toEqual(
    new Set([Date.parse('2042-04-01T23:59:59.999Z')]),
  );
  // Nothing in the table names anyone.
  const stored = JSON.stringify(usageRows(h));
  for (const person of [ana, bea, cara, dan]) expect(stored).not.toContain(person.subjectId);
  expect(stored).not.toMatch(/ana|bea|cara|dan|[0-9a-f]{16}/);
  const columns = h.db.sqlite.prepare(`SELECT name FROM pragma_table_info('usage_counts')`).all();
  expect(columns).toEqual([{ name: 'day' }, { name: 'feature' }, { name: 'count' }, { name: 'expires_at' }]);
});

it('writes what is still in memory when the app closes, before the storage does', async () => {
  const h = await start({}, undefined, { clock });
  const ana = h.chat('ana');
  await ana.press(ADULT_ACCEPTS_ALL);
  await ana.send('/help');
  expect(usageRows(h)).toEqual([]);
  await h.close();
  expect(countOf(h, 'help')).toBe(1);
});

it('keeps the counts for the next flush when storage fails, and logs a code only', async () => {
  const logLines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logLines.push(line) });
  const h = await start({}, undefined, { clock, logger });
  const ana = h.chat('ana');
  await ana.press(ADULT_ACCEPTS_ALL);
  await ana.send('/help');
  await ana.send('/help');

  h.db.sqlite.pragma('query_only = ON');
  await h.app.services.usage.flush();
  h.db.sqlite.pragma('query_only = OFF');
  expect(usageRows(h)).toEqual([]);
  const failures = logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'usage counts not saved');
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  const logged = logLines.join('\n');
  expect(logged).not.toContain(ana.subjectId);
  expect(logged).not.toMatch(/"feature"|"help"/);

  await ana.send('/help');
  await h.app.services.usage.flush();
  expect(countOf(h, 'help')).toBe(3);
});

import type { UsageCount } from '../../src/storage/ports';
import { botWithOperatorPerTest } from '../support/bot-with-operator';
import { ADULT_ACCEPTS_ALL } from '../support/test-app';

/**
 * `npm run privacy -- usage`: the analytics purpose's anonymous daily counts, read from the files
 * the bot wrote, as a table or JSON, for the last --days UTC days.
 */

const NOW = new Date('2041-03-10T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

const bot = botWithOperatorPerTest({ env: { ANALYTICS_FLUSH_SECONDS: '3600' }, clock: () => NOW });
const cli = (argv: string[]) => bot.privacy(argv);

describe('npm run privacy -- usage', () => {
  it('prints the counts of the last --days days as a table or JSON, naming nobody', async () => {
    const h = bot.app;
    const ana = h.chat('ana');
    await ana.press(ADULT_ACCEPTS_ALL);
    await ana.send('/help');
    await ana.send('/help');
    await h.app.services.usage.flush();
    // An older day, written directly: 40 days ago is outside the default 30.
    const old = new Date(NOW.getTime() - 40 * DAY_MS).toISOString().slice(0, 10);
    await h.app.services.stores.usage.add(
      [{ day: old, feature: 'help', count: 5 }],
      new Date(NOW.getTime() + 400 * DAY_MS),
    );

    const json = await cli(['usage', '--json']);
    expect(json.code).toBe(0);
    const counts = JSON.parse(json.stdout) as UsageCount[];
    expect(counts).toContainEqual({ day: '2041-03-10', feature: 'help', count: 2 });
    expect(counts.every((count) => count.day === '2041-03-10')).toBe(true);

    const wide = await cli(['usage', '--days', '60', '--json']);
    expect(JSON.parse(wide.stdout) as UsageCount[]).toContainEqual({ day: old, feature: 'help', count: 5 });

    const table = await cli(['usage']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^day +feature +count$/m);
    expect(table.stdout).toMatch(/^2041-03-10 +help +2$/m);
    expect(table.stdout).toMatch(/^total +help +2$/m);
    expect(table.stdout).toContain('2041-02-09 to 2041-03-10 (UTC)');
    expect(table.stdout).not.toContain(ana.subjectId.slice(0, 12));
  });

  it('says so when nothing was counted, and refuses options it does not take', async () => {
    const empty = await cli(['usage', '--days', '7']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('no usage counted 2041-03-04 to 2041-03-10 (UTC)\n');

    for (const argv of [
      ['usage', '--days', '0'],
      ['usage', '--days', 'x'],
      ['usage', '--yes'],
      ['usage', '--days', '99999'],
    ]) {
      const refused = await cli(argv);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
    }
  });
});

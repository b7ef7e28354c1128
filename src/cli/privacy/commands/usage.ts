import { dayOf } from '../../../privacy/usage-tally';
import type { UsageCount } from '../../../storage/ports';
import type { CliStreams } from '../../cli-io';
import type { UsageCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { prettyJson, table } from '../format';
import { withApp } from '../open-app';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `usage`: the analytics purpose's anonymous daily totals for the last `days` UTC days, today
 * included, as a table or JSON. They name nobody; a running bot's last ANALYTICS_FLUSH_SECONDS
 * of counts are still in its memory and not shown yet.
 */
export function printUsage(command: UsageCommand, deps: PrivacyCliDeps, io: CliStreams): Promise<number> {
  return withApp(deps, async (app) => {
    const now = (deps.clock ?? (() => new Date()))();
    const fromDay = dayOf(new Date(now.getTime() - (command.days - 1) * DAY_MS));
    const counts = await app.services.stores.usage.list(fromDay, dayOf(now));
    io.stdout.write(command.json ? prettyJson(counts) : formatUsage(counts, fromDay, dayOf(now)));
    return 0;
  });
}

function formatUsage(counts: readonly UsageCount[], fromDay: string, toDay: string): string {
  const span = `${fromDay} to ${toDay} (UTC)`;
  if (counts.length === 0) return `no usage counted ${span}\n`;
  const rows = counts.map(({ day, feature, count }) => [day, feature, String(count)]);
  const totals = new Map<string, number>();
  for (const { feature, count } of counts) totals.set(feature, (totals.get(feature) ?? 0) + count);
  const totalRows = [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, n]) => ['total', f, String(n)]);
  return (
    `${table([['day', 'feature', 'count'], ...rows, ...totalRows])}` +
    `uses ${span}, counted only for people who allowed analytics; anonymous totals\n`
  );
}

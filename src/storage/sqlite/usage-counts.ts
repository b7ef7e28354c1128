import type Database from 'better-sqlite3';
import type { UsageCount, UsageCounts } from '../ports';
import { checkUsageCounts } from '../usage-count-rules';
import { guarded } from './guard';

/** Anonymous daily feature counts (the `analytics` purpose) in table `usage_counts`. */
export class SqliteUsageCounts implements UsageCounts {
  private readonly addAll;
  private readonly select;

  constructor(
    db: Database.Database,
    private readonly clock: () => Date,
  ) {
    // An expired total that the sweep has not deleted yet starts afresh rather than growing on.
    const upsert = db.prepare<{
      day: string;
      feature: string;
      count: number;
      expiresAt: number;
      now: number;
    }>(`
      INSERT INTO usage_counts (day, feature, count, expires_at) VALUES (@day, @feature, @count, @expiresAt)
      ON CONFLICT (day, feature) DO UPDATE SET
        count = CASE WHEN expires_at <= @now THEN excluded.count ELSE count + excluded.count END,
        expires_at = CASE WHEN expires_at <= @now THEN excluded.expires_at
          ELSE max(expires_at, excluded.expires_at) END`);
    this.addAll = db.transaction((counts: readonly UsageCount[], expiresAt: number, now: number) => {
      for (const { day, feature, count } of counts) upsert.run({ day, feature, count, expiresAt, now });
    });
    this.select = db.prepare<[string, string, number], UsageCount>(`
      SELECT day, feature, count FROM usage_counts
      WHERE day >= ? AND day <= ? AND expires_at > ? ORDER BY day, feature`);
  }

  add(counts: readonly UsageCount[], expiresAt: Date): Promise<void> {
    return guarded('usage.add', () => {
      checkUsageCounts('usage.add', counts);
      this.addAll(counts, expiresAt.getTime(), this.clock().getTime());
    });
  }

  list(fromDay: string, toDay: string): Promise<UsageCount[]> {
    return guarded('usage.list', () => this.select.all(fromDay, toDay, this.clock().getTime()));
  }
}

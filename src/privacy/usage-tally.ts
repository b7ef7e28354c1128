import { errorCode } from '../core/errors';
import type { Logger } from '../logging/logger';
import type { UsageCount, UsageCounts } from '../storage/ports';
import { periodEnd } from './deadlines';

/**
 * The `analytics` purpose, for real: how often each feature (dialog) is used per day, counted only
 * for people who allowed analytics, and stored as anonymous daily totals (no subject id, no text,
 * no time finer than the day). Counts are kept in memory and written every `flushMs` and on
 * stop(), so the purpose costs a turn no database write; a crash loses at most one interval of
 * counts, which is what aggregate statistics can afford.
 */
export class UsageTally {
  private pending = new Map<string, UsageCount>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: UsageCounts,
    /** RETENTION_ANALYTICS_MONTHS: calendar months from the flush, to the end of that day. */
    private readonly retentionMonths: number,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  /** One use of `feature` at `at`; nothing else about the turn is looked at or kept. */
  count(feature: string, at: Date): void {
    this.add(dayOf(at), feature, 1);
  }

  /** Write the counts every `flushMs` until stop(); the timer never keeps the process alive. */
  start(flushMs: number): void {
    this.timer ??= setInterval(() => void this.flush(), flushMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Write what was counted since the last flush; on a storage failure keep it for the next one. */
  flush(): Promise<void> {
    // One write at a time, in order; write() never rejects, so the chain never stops.
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const counts = [...this.pending.values()];
    this.pending = new Map();
    try {
      const expiresAt = periodEnd(this.clock(), { months: this.retentionMonths });
      await this.store.add(counts, expiresAt);
    } catch (error) {
      this.logger.warn({ code: errorCode(error), rows: counts.length }, 'usage counts not saved');
      for (const { day, feature, count } of counts) this.add(day, feature, count);
    }
  }

  private add(day: string, feature: string, count: number): void {
    const key = `${day} ${feature}`;
    this.pending.set(key, { day, feature, count: (this.pending.get(key)?.count ?? 0) + count });
  }
}

/** The UTC calendar day, "2026-11-26". */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

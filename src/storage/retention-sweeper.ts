import { errorCode } from '../core/errors';
import type { Logger } from '../logging/logger';
import type { StorageBackend } from './backend';

/**
 * Deletes expired rows on a backend that does not do it by itself (SQLite): once at start-up,
 * then every `intervalMs`. Passes never overlap; a failed pass is logged with its code and the
 * next one tries again. Logs carry counts only.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly storage: StorageBackend,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Runs the first pass now (awaited, so start-up begins with no expired data) and schedules the rest. */
  async start(): Promise<void> {
    if (this.storage.expiresByItself) return;
    await this.sweepOnce();
    // unref: a pending sweep never keeps a finished process alive.
    this.timer = setInterval(() => void this.sweepOnce(), this.intervalMs).unref();
  }

  sweepOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the timer and waits for a pass in progress, so the database can be closed after. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async pass(): Promise<void> {
    const started = Date.now();
    try {
      const deleted = await this.storage.sweepExpired(this.clock());
      const total = Object.values(deleted).reduce((sum, count) => sum + count, 0);
      if (total > 0) this.logger.info({ deleted, ms: Date.now() - started }, 'expired data deleted');
      else this.logger.debug({ ms: Date.now() - started }, 'retention sweep: nothing expired');
    } catch (error) {
      this.logger.error({ code: errorCode(error) }, 'retention sweep failed');
    }
  }
}

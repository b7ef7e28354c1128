import type Database from 'better-sqlite3';
import { errorCode } from '../../core/errors';
import type { Logger } from '../../logging/logger';
import type { EmptyWal } from './open-database';
import { DEFAULT_SWEEP_BATCH, inSlices } from './sweep';

/**
 * The history rows an erasure deletes in its own transaction. A person with more has the rest
 * deleted in the background, so an erasure takes the same time with 1,000 or 100,000 messages.
 */
export const ERASE_AT_ONCE = DEFAULT_SWEEP_BATCH;

/** People with history looked at per statement while looking for orphaned rows. */
const ORPHAN_PAGE = 1000;

/**
 * History rows of erased people that are still to be deleted, and the deleting. An erasure hands
 * over the person and the highest `seq` in the table at that moment: from then on every read hides
 * their rows up to that `seq` (`hiddenUpTo`), and a background task deletes them in time-sliced
 * batches (sweep.ts), then empties the WAL. Rows the person writes after coming back (a new
 * consent) have a higher `seq` and stay. Their data key is shredded right after the erasure's
 * transaction, so the rows waiting here are unreadable as well as hidden.
 *
 * If the process stops before the task ends, the rows stay in the file, no longer hidden by
 * anything: the first retention pass of the next process (it runs before the first turn) finds
 * every history row whose person has no consent state and either no data key or an erasure not
 * completed in the request ledger, and deletes it (`deleteOrphans`).
 */
export class HistoryEraser {
  private readonly pending = new Map<string, number>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private readonly deleteBatch;
  private readonly newestSeq;
  private readonly subjectsAfter;
  private readonly hasKey;

  constructor(
    db: Database.Database,
    keysDb: Database.Database,
    private readonly emptyWal: EmptyWal,
    private readonly logger: Logger,
    private readonly batchSize = DEFAULT_SWEEP_BATCH,
  ) {
    this.deleteBatch = db.prepare<{ subjectId: string; upTo: number; batch: number }>(`
      DELETE FROM history WHERE seq IN (
        SELECT seq FROM history WHERE subject_id = @subjectId AND seq <= @upTo LIMIT @batch)`);
    this.newestSeq = db.prepare<[], { seq: number | null }>(`SELECT max(seq) AS seq FROM history`);
    // A page of the people with history, in id order, each with whether a consent state exists and
    // whether an erasure of theirs was asked for and not completed (the request ledger).
    this.subjectsAfter = db.prepare<
      [string, number],
      { subject_id: string; consented: 0 | 1; erasing: 0 | 1 }
    >(`
      SELECT subject_id,
        EXISTS (SELECT 1 FROM subjects s WHERE s.subject_id = page.subject_id) AS consented,
        EXISTS (SELECT 1 FROM rights_requests r WHERE r.subject_id = page.subject_id
          AND r.type = 'erasure' AND r.status <> 'completed') AS erasing
      FROM (SELECT DISTINCT subject_id FROM history WHERE subject_id > ? ORDER BY subject_id LIMIT ?) page
      ORDER BY subject_id`);
    this.hasKey = keysDb.prepare<[string]>(`SELECT 1 FROM data_keys WHERE subject_id = ?`).pluck();
  }

  /** Reads of `subjectId`'s history skip rows with `seq` at or below this (0: none hidden). */
  hiddenUpTo(subjectId: string): number {
    return this.pending.get(subjectId) ?? 0;
  }

  /** The highest `seq` in the table: read in the erasure's transaction, the bound for `hide`. */
  newestRow(): number {
    return this.newestSeq.get()?.seq ?? 0;
  }

  /**
   * Once the erasure's transaction committed (a rolled-back erasure hides nothing): hides the
   * person's rows up to `upTo` from every read at once. `schedule` then deletes them.
   */
  hide(subjectId: string, upTo: number): void {
    this.pending.set(subjectId, Math.max(upTo, this.hiddenUpTo(subjectId)));
  }

  /**
   * Deletes the hidden rows in the background; resolves when every hidden row is gone, or once a
   * failure is logged (the rows stay hidden, and the next retention pass tries again). Never rejects.
   */
  schedule(): Promise<void> {
    this.running ??= this.deleteHidden()
      .catch((error: unknown) => {
        this.logger.error({ code: errorCode(error) }, 'erased history: background delete failed');
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Waits for the background deletion, if any (tests, the benchmark). */
  async settled(): Promise<void> {
    await this.running;
  }

  /**
   * Closing: the background deletion stops after its current batch. What it leaves is unreadable
   * (the key is shredded) and goes in the next process's first retention pass (deleteOrphans).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /**
   * History rows whose person has no consent state, and either no data key or an erasure asked
   * for and not completed: left by an erasure whose background deletion a stopped process never
   * finished (after the key was shredded, or before: then the rerun of the erasure shreds it).
   * Deleted here in time-sliced batches, before the first turn can bring the person back. Returns
   * how many rows went.
   */
  async deleteOrphans(): Promise<number> {
    let deleted = 0;
    let after = '';
    while (true) {
      const page = this.subjectsAfter.all(after, ORPHAN_PAGE);
      for (const { subject_id: subjectId, consented, erasing } of page) {
        if (consented === 1 || this.pending.has(subjectId)) continue;
        if (erasing === 0 && this.hasKey.get(subjectId) !== undefined) continue;
        deleted += await this.deleteUpTo(subjectId, Number.MAX_SAFE_INTEGER);
      }
      const last = page.at(-1);
      if (last === undefined || page.length < ORPHAN_PAGE) break;
      after = last.subject_id;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) this.emptyWal();
    return deleted;
  }

  private async deleteHidden(): Promise<void> {
    for (const [subjectId, upTo] of this.pending) {
      if (this.stopping) return;
      await this.deleteUpTo(subjectId, upTo);
      // A second erasure of the same person meanwhile raised the bound: go round again.
      if (this.pending.get(subjectId) === upTo) this.pending.delete(subjectId);
    }
    // The deleted rows' old page images must not outlive them in the WAL (see truncateWal).
    this.emptyWal();
    if (this.pending.size > 0) await this.deleteHidden();
  }

  private deleteUpTo(subjectId: string, upTo: number): Promise<number> {
    return inSlices(this.batchSize, () =>
      this.stopping ? 0 : this.deleteBatch.run({ subjectId, upTo, batch: this.batchSize }).changes,
    );
  }
}

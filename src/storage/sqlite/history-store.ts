import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { FieldSealer } from '../../crypto/field-sealer';
import type { CategorySummary, ExpiryControl, HistoryEntry, HistoryEntryInput, HistoryStore } from '../ports';
import { expiryStatements, noConsent, standingStatement } from './expiry';
import { checkLimit, guarded } from './guard';
import { truncateWal } from './open-database';
import { packSealed, unpackSealed } from './sealed-blob';
import { summaryStatement, toSummary } from './summary';

export const HISTORY_TABLE = 'history';

/**
 * Rows read per page while an export walks the history. Pages, not one open statement: an open
 * better-sqlite3 iterator holds the connection, and the export decrypts (awaits) between rows.
 */
const EXPORT_PAGE = 500;

interface HistoryRow {
  seq: number;
  id: string;
  subject_id: string;
  conversation_id: string;
  speaker: HistoryEntry['speaker'];
  tag: string | null;
  at: number;
  body: Buffer;
  expires_at: number | null;
}

/**
 * Conversation history in table `history`. Every body is sealed before the insert is built, so a
 * KMS failure means no write at all, never a plaintext one; the id that binds the ciphertext to
 * its row exists before sealing.
 */
export class SqliteHistoryStore implements HistoryStore, ExpiryControl {
  private readonly insertAll;
  private readonly newest;
  private readonly newestTagged;
  private readonly page;
  private readonly summarise;
  private readonly removeAll;
  private readonly expiry;

  constructor(
    private readonly db: Database.Database,
    private readonly sealer: FieldSealer,
    private readonly clock: () => Date,
  ) {
    const insert = db.prepare(`
      INSERT INTO history (id, subject_id, conversation_id, speaker, tag, at, body, expires_at, expiry_remaining_ms)
      VALUES (@id, @subjectId, @conversationId, @speaker, @tag, @at, @body, @expiresAt, @remaining)`);
    const standing = standingStatement(db, 'history');
    this.insertAll = db.transaction((rows: readonly SealedRow[], expiresAt: number, now: number) => {
      for (const row of rows) {
        // Re-checked inside the write: an erasure, a withdrawal or a restriction that landed
        // while this turn was sealing wins over what the turn saw when it started.
        const { allowed, restricted: paused } = standing(row.subjectId, now);
        if (!allowed) throw noConsent('history.append');
        insert.run({
          ...row,
          expiresAt: paused ? null : expiresAt,
          remaining: paused ? Math.max(0, expiresAt - now) : null,
        });
      }
    });
    const live = `(expires_at IS NULL OR expires_at > @now)`;
    this.newest = db.prepare<{ subjectId: string; now: number; limit: number }, HistoryRow>(`
      SELECT * FROM history WHERE subject_id = @subjectId AND ${live}
      ORDER BY at DESC, seq DESC LIMIT @limit`);
    this.newestTagged = db.prepare<
      { subjectId: string; tag: string; now: number; limit: number },
      HistoryRow
    >(`
      SELECT * FROM history WHERE subject_id = @subjectId AND tag = @tag AND ${live}
      ORDER BY at DESC, seq DESC LIMIT @limit`);
    this.page = db.prepare<{ subjectId: string; at: number; seq: number; now: number }, HistoryRow>(`
      SELECT * FROM history WHERE subject_id = @subjectId AND (at, seq) > (@at, @seq) AND ${live}
      ORDER BY at, seq LIMIT ${EXPORT_PAGE}`);
    this.summarise = summaryStatement(db, HISTORY_TABLE, 'at');
    this.removeAll = db.prepare(`DELETE FROM history WHERE subject_id = ?`);
    this.expiry = expiryStatements(db, HISTORY_TABLE);
  }

  async append(entries: readonly HistoryEntryInput[], expiresAt: Date): Promise<void> {
    if (entries.length === 0) return;
    const rows: SealedRow[] = [];
    for (const entry of entries) {
      const id = randomBytes(12).toString('hex');
      const sealed = await this.sealer.seal(entry.subjectId, HISTORY_TABLE, id, entry.text);
      rows.push({
        id,
        subjectId: entry.subjectId,
        conversationId: entry.conversationId,
        speaker: entry.speaker,
        tag: entry.tag ?? null,
        at: entry.at.getTime(),
        body: packSealed(sealed),
      });
    }
    await guarded('history.append', () => this.insertAll(rows, expiresAt.getTime(), this.clock().getTime()));
  }

  async recent(subjectId: string, options: { limit: number; tag?: string }): Promise<HistoryEntry[]> {
    const rows = await guarded('history.recent', () => {
      checkLimit('history.recent', options.limit);
      const now = this.clock().getTime();
      return options.tag === undefined
        ? this.newest.all({ subjectId, now, limit: options.limit })
        : this.newestTagged.all({ subjectId, tag: options.tag, now, limit: options.limit });
    });
    const entries: HistoryEntry[] = [];
    for (const row of rows) entries.push(await this.open(row));
    return entries;
  }

  async *iterate(subjectId: string): AsyncGenerator<HistoryEntry> {
    let after = { at: Number.MIN_SAFE_INTEGER, seq: 0 };
    while (true) {
      const rows = await guarded('history.iterate', () =>
        this.page.all({ subjectId, ...after, now: this.clock().getTime() }),
      );
      for (const row of rows) yield await this.open(row);
      const last = rows.at(-1);
      if (!last || rows.length < EXPORT_PAGE) return;
      after = { at: last.at, seq: last.seq };
    }
  }

  summary(subjectId: string): Promise<CategorySummary> {
    return guarded('history.summary', () =>
      toSummary(this.summarise.get({ subjectId, now: this.clock().getTime() })),
    );
  }

  deleteAllOf(subjectId: string): Promise<number> {
    return guarded('history.deleteAllOf', () => {
      const deleted = this.removeAll.run(subjectId).changes;
      // The deleted rows' old page images must not outlive them in the WAL (see truncateWal).
      if (deleted > 0) truncateWal(this.db);
      return deleted;
    });
  }

  pause(subjectId: string, at: Date): Promise<void> {
    return guarded('history.pause', () => void this.expiry.pause.run({ subjectId, at: at.getTime() }));
  }

  resume(subjectId: string, at: Date): Promise<void> {
    return guarded('history.resume', () => void this.expiry.resume.run({ subjectId, at: at.getTime() }));
  }

  private async open(row: HistoryRow): Promise<HistoryEntry> {
    const text = await this.sealer.openText(row.subject_id, HISTORY_TABLE, row.id, unpackSealed(row.body));
    return {
      id: row.id,
      subjectId: row.subject_id,
      conversationId: row.conversation_id,
      speaker: row.speaker,
      ...(row.tag !== null && { tag: row.tag }),
      text,
      at: new Date(row.at),
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    };
  }
}

interface SealedRow {
  readonly id: string;
  readonly subjectId: string;
  readonly conversationId: string;
  readonly speaker: HistoryEntry['speaker'];
  readonly tag: string | null;
  readonly at: number;
  readonly body: Buffer;
}

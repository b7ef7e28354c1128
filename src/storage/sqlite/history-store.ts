import type Database from 'better-sqlite3';
import type { FieldSealer } from '../../crypto/field-sealer';
import { pooledRandomBytes } from '../../crypto/random-pool';
import type { CategorySummary, ExpiryControl, HistoryEntry, HistoryEntryInput, HistoryStore } from '../ports';
import { type Standing, expiryStatements, noConsent, standingStatement } from './expiry';
import { checkLimit, guarded } from './guard';
import type { HistoryEraser } from './history-eraser';
import type { EmptyWal } from './open-database';
import { packSealed, unpackSealed } from './sealed-blob';
import { summaryStatement, toSummary } from './summary';

export const HISTORY_TABLE = 'history';

/**
 * Rows read per page while an export walks the history. Pages, not one open statement: an open
 * better-sqlite3 iterator holds the connection, and the export decrypts (awaits) between rows.
 */
const EXPORT_PAGE = 500;

/**
 * A history row's id, bound into its ciphertext: 6 bytes of the time in milliseconds, then 6
 * random bytes. Time first, so a new row's id lands at the right end of the id index instead of
 * on a random page of it: with 100,000 people stored, random ids made each turn's commit write
 * more pages (~30% more time per history insert on the benchmark VM). The time adds nothing a
 * reader of the row does not already have in `at`; 48 random bits keep ids of one millisecond apart.
 */
function newHistoryId(): string {
  const id = pooledRandomBytes(12);
  id.writeUIntBE(Date.now(), 0, 6);
  return id.toString('hex');
}

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
    db: Database.Database,
    private readonly sealer: FieldSealer,
    private readonly clock: () => Date,
    private readonly emptyWal: EmptyWal,
    private readonly erased: HistoryEraser,
  ) {
    // `seq` above @hidden: SQLite gives a new row max(seq) + 1, which falls below the rows an
    // erasure hid once the background delete removed the highest of them; a person who came back
    // meanwhile must get rows above them (else hidden, then deleted with them).
    const insert = db.prepare(`
      INSERT INTO history (seq, id, subject_id, conversation_id, speaker, tag, at, body, expires_at, expiry_remaining_ms)
      VALUES (max(coalesce((SELECT max(seq) FROM history), 0), @hidden) + 1,
        @id, @subjectId, @conversationId, @speaker, @tag, @at, @body, @expiresAt, @remaining)`);
    const standing = standingStatement(db, 'history');
    this.insertAll = db.transaction((rows: readonly SealedRow[], expiresAt: number, now: number) => {
      // Re-checked inside the write: an erasure, a withdrawal or a restriction that landed
      // while this turn was sealing wins over what the turn saw when it started. Once per person
      // in the batch (a turn's lines are all one person's), not once per line.
      const standings = new Map<string, Standing>();
      for (const row of rows) {
        let subject = standings.get(row.subjectId);
        if (!subject) standings.set(row.subjectId, (subject = standing(row.subjectId, now)));
        if (!subject.allowed) throw noConsent('history.append');
        const paused = subject.restricted;
        insert.run({
          ...row,
          hidden: this.erased.hiddenUpTo(row.subjectId),
          expiresAt: paused ? null : expiresAt,
          remaining: paused ? Math.max(0, expiresAt - now) : null,
        });
      }
    });
    // Not expired, and not hidden by an erasure whose background delete is still running.
    const live = `(expires_at IS NULL OR expires_at > @now) AND seq > @hidden`;
    this.newest = db.prepare<{ subjectId: string; now: number; hidden: number; limit: number }, HistoryRow>(`
      SELECT * FROM history WHERE subject_id = @subjectId AND ${live}
      ORDER BY at DESC, seq DESC LIMIT @limit`);
    this.newestTagged = db.prepare<
      { subjectId: string; tag: string; now: number; hidden: number; limit: number },
      HistoryRow
    >(`
      SELECT * FROM history WHERE subject_id = @subjectId AND tag = @tag AND ${live}
      ORDER BY at DESC, seq DESC LIMIT @limit`);
    this.page = db.prepare<
      { subjectId: string; at: number; seq: number; now: number; hidden: number },
      HistoryRow
    >(`
      SELECT * FROM history WHERE subject_id = @subjectId AND (at, seq) > (@at, @seq) AND ${live}
      ORDER BY at, seq LIMIT ${EXPORT_PAGE}`);
    this.summarise = summaryStatement<{ hidden: number }>(db, HISTORY_TABLE, 'at', 'AND seq > @hidden');
    this.removeAll = db.prepare(`DELETE FROM history WHERE subject_id = ?`);
    this.expiry = expiryStatements(db, HISTORY_TABLE);
  }

  async append(entries: readonly HistoryEntryInput[], expiresAt: Date): Promise<void> {
    if (entries.length === 0) return;
    const rows: SealedRow[] = [];
    for (const entry of entries) {
      const id = newHistoryId();
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
      const visible = { subjectId, now: this.clock().getTime(), hidden: this.erased.hiddenUpTo(subjectId) };
      return options.tag === undefined
        ? this.newest.all({ ...visible, limit: options.limit })
        : this.newestTagged.all({ ...visible, tag: options.tag, limit: options.limit });
    });
    const entries: HistoryEntry[] = [];
    for (const row of rows) entries.push(await this.open(row));
    return entries;
  }

  async *iterate(subjectId: string): AsyncGenerator<HistoryEntry> {
    let after = { at: Number.MIN_SAFE_INTEGER, seq: 0 };
    while (true) {
      const rows = await guarded('history.iterate', () =>
        this.page.all({
          subjectId,
          ...after,
          now: this.clock().getTime(),
          hidden: this.erased.hiddenUpTo(subjectId),
        }),
      );
      for (const row of rows) yield await this.open(row);
      const last = rows.at(-1);
      if (!last || rows.length < EXPORT_PAGE) return;
      after = { at: last.at, seq: last.seq };
    }
  }

  summary(subjectId: string): Promise<CategorySummary> {
    return guarded('history.summary', () =>
      toSummary(
        this.summarise.get({
          subjectId,
          now: this.clock().getTime(),
          hidden: this.erased.hiddenUpTo(subjectId),
        }),
      ),
    );
  }

  deleteAllOf(subjectId: string): Promise<number> {
    return guarded('history.deleteAllOf', () => {
      const deleted = this.removeAll.run(subjectId).changes;
      // The deleted rows' old page images must not outlive them in the WAL (see truncateWal).
      if (deleted > 0) this.emptyWal();
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

import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { byOccurrence, checkBreach } from '../breach-checks';
import type { BreachNotice, BreachOverview, BreachRecord, BreachRegister } from '../ports';
import { guarded } from './guard';

interface BreachRow {
  id: string;
  what: string;
  occurred_at: number;
  recorded_at: number;
  affects_all: 0 | 1;
  expires_at: number;
}

/**
 * The breach register in tables `breaches` and `breach_notices` (migration 2). A listed subject
 * has a notice row from the start; for a breach that affects everyone a row is written only when
 * the person is shown the notice, so nothing is stored about people the bot never told.
 */
export class SqliteBreachRegister implements BreachRegister {
  private readonly insertAll;
  private readonly pending;
  private readonly claimListed;
  private readonly claimForAll;
  private readonly live;
  private readonly listedCount;
  private readonly notifiedCount;
  private readonly noticesOf;

  constructor(
    db: Database.Database,
    private readonly clock: () => Date,
  ) {
    const insertBreach = db.prepare(`
      INSERT INTO breaches (id, what, occurred_at, recorded_at, affects_all, expires_at)
      VALUES (@id, @what, @occurredAt, @recordedAt, @affectsAll, @expiresAt)`);
    const insertListed = db.prepare(`
      INSERT INTO breach_notices (breach_id, subject_id, notified_at, expires_at)
      VALUES (@breachId, @subjectId, NULL, @expiresAt)`);
    // One transaction: a breach is never visible with half its list (a duplicate id refuses all).
    this.insertAll = db.transaction((row: Record<string, string | number>, affected: readonly string[]) => {
      insertBreach.run(row);
      for (const subjectId of affected)
        insertListed.run({ breachId: row.id, subjectId, expiresAt: row.expiresAt });
    });
    // Few live breaches at any time: each is looked up in the notices by primary key.
    this.pending = db.prepare<{ subjectId: string; now: number }, BreachRow>(`
      SELECT b.* FROM breaches b
      LEFT JOIN breach_notices n ON n.breach_id = b.id AND n.subject_id = @subjectId
      WHERE b.expires_at > @now AND n.notified_at IS NULL
        AND (b.affects_all = 1 OR n.subject_id IS NOT NULL)`);
    const markListed = db.prepare(`
      UPDATE breach_notices SET notified_at = @at
      WHERE breach_id = @breachId AND subject_id = @subjectId AND notified_at IS NULL AND expires_at > @at`);
    const insertShown = db.prepare(`
      INSERT INTO breach_notices (breach_id, subject_id, notified_at, expires_at)
      SELECT id, @subjectId, @at, expires_at FROM breaches
      WHERE id = @breachId AND affects_all = 1 AND expires_at > @at
      ON CONFLICT (breach_id, subject_id) DO NOTHING`);
    this.claimListed = markListed;
    this.claimForAll = insertShown;
    this.live = db.prepare<{ now: number }, BreachRow>(`
      SELECT * FROM breaches WHERE expires_at > @now ORDER BY recorded_at, id`);
    this.listedCount = db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM breach_notices WHERE breach_id = ?`,
    );
    this.notifiedCount = db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM breach_notices WHERE breach_id = ? AND notified_at IS NOT NULL`,
    );
    // Like `pending`: the live breaches by expiry, each one's notice by primary key. A row exists
    // only for a listed person or for one who was shown a breach affecting everyone.
    this.noticesOf = db.prepare<
      { subjectId: string; now: number },
      BreachRow & { notified_at: number | null }
    >(`
      SELECT b.*, n.notified_at FROM breaches b
      JOIN breach_notices n ON n.breach_id = b.id AND n.subject_id = @subjectId
      WHERE b.expires_at > @now`);
  }

  record(breach: Omit<BreachRecord, 'id'>, affected: readonly string[]): Promise<BreachRecord> {
    return guarded('breaches.record', () => {
      checkBreach(breach, affected);
      const id = `br_${randomBytes(8).toString('hex')}`;
      this.insertAll(
        {
          id,
          what: breach.what,
          occurredAt: breach.occurredAt.getTime(),
          recordedAt: breach.recordedAt.getTime(),
          affectsAll: breach.affectsAll ? 1 : 0,
          expiresAt: breach.expiresAt.getTime(),
        },
        affected,
      );
      return { id, ...breach };
    });
  }

  pendingFor(subjectId: string): Promise<BreachRecord[]> {
    return guarded('breaches.pendingFor', () =>
      this.pending.all({ subjectId, now: this.clock().getTime() }).map(toRecord).sort(byOccurrence),
    );
  }

  markNotified(breachId: string, subjectId: string, at: Date): Promise<boolean> {
    return guarded('breaches.markNotified', () => {
      const params = { breachId, subjectId, at: at.getTime() };
      // Each statement changes a row only if nobody has claimed it: one true per breach and subject.
      return this.claimListed.run(params).changes === 1 || this.claimForAll.run(params).changes === 1;
    });
  }

  noticesFor(subjectId: string): Promise<BreachNotice[]> {
    return guarded('breaches.noticesFor', () =>
      this.noticesOf
        .all({ subjectId, now: this.clock().getTime() })
        .map((row) => ({
          breach: toRecord(row),
          notifiedAt: row.notified_at === null ? null : new Date(row.notified_at),
        }))
        .sort((a, b) => byOccurrence(a.breach, b.breach)),
    );
  }

  list(): Promise<BreachOverview[]> {
    return guarded('breaches.list', () =>
      this.live.all({ now: this.clock().getTime() }).map((row) => ({
        ...toRecord(row),
        listed: row.affects_all === 1 ? 0 : (this.listedCount.get(row.id)?.n ?? 0),
        notified: this.notifiedCount.get(row.id)?.n ?? 0,
      })),
    );
  }
}

function toRecord(row: BreachRow): BreachRecord {
  return {
    id: row.id,
    what: row.what,
    occurredAt: new Date(row.occurred_at),
    recordedAt: new Date(row.recorded_at),
    affectsAll: row.affects_all === 1,
    expiresAt: new Date(row.expires_at),
  };
}

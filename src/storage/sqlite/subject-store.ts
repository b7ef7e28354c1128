import type Database from 'better-sqlite3';
import { isLocale } from '../../i18n/locales';
import type { PurposeChoices } from '../../privacy/purposes';
import type { ConsentLedgerEntry, SubjectRecord, SubjectStore } from '../ports';
import { ledgerAppender } from './consent-ledger';
import { guarded } from './guard';

/** The stored row is past its expiry (not paused) as of @now. */
const EXPIRED = '(subjects.expires_at IS NOT NULL AND subjects.expires_at <= @now)';
const EXPIRED_ROW = '(expires_at IS NOT NULL AND expires_at <= @now)';

interface SubjectRow {
  subject_id: string;
  policy_version: string;
  purposes: string;
  decided_at: number;
  locale: string | null;
  restricted: 0 | 1;
  under_age: 0 | 1;
}

/** The consent state in table `subjects`, one row per person. */
export class SqliteSubjectStore implements SubjectStore {
  private readonly select;
  private readonly decide;
  private readonly updateLocale;
  private readonly restrict;
  private readonly lift;

  constructor(
    db: Database.Database,
    private readonly clock: () => Date,
  ) {
    this.select = db.prepare<[string, number], SubjectRow>(
      `SELECT * FROM subjects WHERE subject_id = ? AND (expires_at IS NULL OR expires_at > ?)`,
    );
    // One statement: a decision never half-applies. An older decision arriving late (two taps
    // in flight) never overwrites a newer one, and a restricted person's clock stays paused.
    // A row past its expiry that no sweep has removed yet counts as gone: the new decision
    // replaces it whole instead of inheriting its restriction, age flag or locale.
    const upsert = db.prepare(`
      INSERT INTO subjects (subject_id, policy_version, purposes, decided_at, locale, under_age, expires_at)
      VALUES (@subjectId, @policyVersion, @purposes, @decidedAt, @locale, @underAge, @expiresAt)
      ON CONFLICT (subject_id) DO UPDATE SET
        policy_version = excluded.policy_version,
        purposes = excluded.purposes,
        decided_at = excluded.decided_at,
        locale = CASE WHEN ${EXPIRED} THEN excluded.locale ELSE coalesce(excluded.locale, subjects.locale) END,
        under_age = CASE WHEN ${EXPIRED} THEN excluded.under_age ELSE max(subjects.under_age, excluded.under_age) END,
        restricted = CASE WHEN ${EXPIRED} THEN 0 ELSE subjects.restricted END,
        expires_at = CASE WHEN subjects.restricted AND NOT ${EXPIRED} THEN NULL ELSE excluded.expires_at END,
        expiry_remaining_ms = CASE WHEN subjects.restricted AND NOT ${EXPIRED}
          THEN excluded.expires_at - excluded.decided_at ELSE NULL END
      WHERE excluded.decided_at >= subjects.decided_at OR ${EXPIRED}`);
    const appendLedger = ledgerAppender(db);
    // The decision and its evidence in one transaction: never one without the other.
    this.decide = db.transaction((row: Record<string, unknown>, ledger: readonly ConsentLedgerEntry[]) => {
      appendLedger(ledger, row.expiresAt as number);
      upsert.run(row);
    });
    this.updateLocale = db.prepare(
      `UPDATE subjects SET locale = @locale WHERE subject_id = @subjectId AND NOT ${EXPIRED_ROW}`,
    );
    this.restrict = db.prepare(`
      UPDATE subjects SET restricted = 1,
        expiry_remaining_ms = max(0, expires_at - @at), expires_at = NULL
      WHERE subject_id = @subjectId AND restricted = 0 AND expires_at > @at`);
    this.lift = db.prepare(`
      UPDATE subjects SET restricted = 0,
        expires_at = @at + coalesce(expiry_remaining_ms, 0), expiry_remaining_ms = NULL
      WHERE subject_id = @subjectId AND restricted = 1`);
  }

  get(subjectId: string): Promise<SubjectRecord | null> {
    return guarded('subjects.get', () => {
      const row = this.select.get(subjectId, this.clock().getTime());
      return row ? toRecord(row) : null;
    });
  }

  saveDecision(
    record: Omit<SubjectRecord, 'restricted'>,
    expiresAt: Date,
    ledger: readonly ConsentLedgerEntry[] = [],
  ): Promise<void> {
    return guarded('subjects.saveDecision', () => {
      this.decide(
        {
          subjectId: record.subjectId,
          policyVersion: record.policyVersion,
          purposes: JSON.stringify(record.purposes),
          decidedAt: record.decidedAt.getTime(),
          locale: record.locale ?? null,
          underAge: record.underAge ? 1 : 0,
          expiresAt: expiresAt.getTime(),
          now: this.clock().getTime(),
        },
        ledger,
      );
    });
  }

  setLocale(subjectId: string, locale: string): Promise<void> {
    return guarded(
      'subjects.setLocale',
      () => void this.updateLocale.run({ locale, subjectId, now: this.clock().getTime() }),
    );
  }

  setRestricted(subjectId: string, restricted: boolean, at: Date): Promise<void> {
    return guarded('subjects.setRestricted', () => {
      (restricted ? this.restrict : this.lift).run({ subjectId, at: at.getTime() });
    });
  }
}

function toRecord(row: SubjectRow): SubjectRecord {
  return {
    subjectId: row.subject_id,
    policyVersion: row.policy_version,
    purposes: JSON.parse(row.purposes) as PurposeChoices,
    decidedAt: new Date(row.decided_at),
    ...(row.locale !== null && isLocale(row.locale) ? { locale: row.locale } : {}),
    restricted: row.restricted === 1,
    ...(row.under_age === 1 && { underAge: true }),
  };
}

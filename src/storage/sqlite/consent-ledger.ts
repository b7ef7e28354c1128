import type Database from 'better-sqlite3';
import { StorageRejectedError } from '../../core/errors';
import { isLocale } from '../../i18n/locales';
import { isPurpose } from '../../privacy/purposes';
import type { ConsentLedger, ConsentLedgerEntry } from '../ports';
import { guarded } from './guard';

/**
 * The statement that appends ledger entries, for use inside a caller's transaction (the ledger's
 * own append, and a consent decision recorded with its entries). New entries must name a purpose
 * and locale this code knows; entries already stored are read back whatever they name.
 */
export function ledgerAppender(db: Database.Database) {
  const insert = db.prepare(`
    INSERT INTO consent_ledger
      (subject_id, purpose, decision, policy_version, notice_hash, locale, channel, at, expires_at)
    VALUES (@subjectId, @purpose, @decision, @policyVersion, @noticeHash, @locale, @channel, @at, @expiresAt)`);
  return (entries: readonly ConsentLedgerEntry[], expiresAt: number): void => {
    for (const entry of entries) {
      if (!entry.subjectId || !isPurpose(entry.purpose) || !isLocale(entry.locale) || !entry.noticeHash)
        throw new StorageRejectedError('consentLedger.append', new TypeError('invalid ledger entry'));
      insert.run({ ...entry, at: entry.at.getTime(), expiresAt });
    }
  };
}

interface LedgerRow {
  subject_id: string;
  purpose: string;
  decision: ConsentLedgerEntry['decision'];
  policy_version: string;
  notice_hash: string;
  locale: string;
  channel: string;
  at: number;
}

/** The append-only consent ledger in table `consent_ledger`: rows are inserted, never updated. */
export class SqliteConsentLedger implements ConsentLedger {
  private readonly appendAll;
  private readonly select;

  constructor(
    db: Database.Database,
    private readonly clock: () => Date,
  ) {
    // One transaction: a batch with one bad entry stores none of it.
    this.appendAll = db.transaction(ledgerAppender(db));
    // Oldest first; equal times in the order they were appended.
    this.select = db.prepare<[string, number], LedgerRow>(`
      SELECT * FROM consent_ledger WHERE subject_id = ? AND expires_at > ? ORDER BY at, seq`);
  }

  append(entries: readonly ConsentLedgerEntry[], expiresAt: Date): Promise<void> {
    return guarded('consentLedger.append', () => this.appendAll(entries, expiresAt.getTime()));
  }

  list(subjectId: string): Promise<ConsentLedgerEntry[]> {
    return guarded('consentLedger.list', () =>
      // Entries whose purpose or locale is no longer known are evidence all the same: kept as stored.
      this.select.all(subjectId, this.clock().getTime()).map((row): ConsentLedgerEntry => ({
        subjectId: row.subject_id,
        purpose: row.purpose as ConsentLedgerEntry['purpose'],
        decision: row.decision,
        policyVersion: row.policy_version,
        noticeHash: row.notice_hash,
        locale: row.locale,
        channel: row.channel,
        at: new Date(row.at),
      })),
    );
  }
}

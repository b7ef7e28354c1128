import type { DataKeyStore } from '../crypto/data-key-store-port';
import type { FieldSealer } from '../crypto/field-sealer';
import type { Stores } from './ports';

export type BackendKind = 'sqlite' | 'mongodb';

/**
 * What the backend holds, table by table, counts only (the purge-all dry run). Rows are counted
 * as stored, expired or not: the purge removes them all the same.
 */
export interface StorageInventory {
  /** Personal data: what purge-all erases. */
  readonly subjects: number;
  readonly restrictedSubjects: number;
  readonly conversations: number;
  readonly history: number;
  readonly profiles: number;
  readonly dataKeys: number;
  /** Evidence: what purge-all keeps, each row until its own retention ends. */
  readonly consentLedger: number;
  readonly rightsRequests: number;
  /** Rights requests not completed (open or failed): answer them before a purge. */
  readonly unansweredRequests: number;
  readonly breaches: number;
  readonly breachNotices: number;
  /** Distinct pseudonymous ids in the consent state and the two request ledgers. */
  readonly people: number;
  /** When the last evidence row expires (null: none is kept): the files can go after that. */
  readonly evidenceUntil: Date | null;
}

/** What purge-all removed: every person's personal data and every data key. */
export interface PurgeReport {
  readonly subjects: number;
  readonly conversations: number;
  readonly history: number;
  readonly profiles: number;
  readonly dataKeys: number;
}

/**
 * One open storage backend: the stores the engine uses, the wrapped data keys, retention and
 * shutdown. SQLite (src/storage/sqlite/) is the default; MongoDB (src/storage/mongo/) is chosen
 * when MONGODB_URI is set. Both pass the same contract suite (test/contract/).
 */
export interface StorageBackend {
  readonly kind: BackendKind;
  /** Where the data lives, for logs: a file path or a database name; never credentials. */
  readonly location: string;
  /** Wrapped data keys, kept apart from the data (SQLite: their own file beside the data file). */
  readonly dataKeys: DataKeyStore;
  /**
   * The stores, with personal content sealed by `sealer` before anything is written. `clock` is
   * the app's clock: expiry checks on reads ("expired data is never returned") use it.
   */
  createStores(sealer: FieldSealer, clock: () => Date): Stores;
  /**
   * True when the database deletes expired rows by itself (MongoDB TTL indexes); otherwise the
   * application runs sweepExpired on a timer (src/storage/retention-sweeper.ts).
   */
  readonly expiresByItself: boolean;
  /**
   * One retention pass: delete rows whose `expiresAt` is at or before `now`, at most `batchSize`
   * rows per table and statement, so a big pass never holds the database for long. Returns the
   * number of rows deleted per table.
   */
  sweepExpired(now: Date, batchSize?: number): Promise<Readonly<Record<string, number>>>;
  /** Counts per table, for the operator (`npm run privacy -- purge-all` without --yes). */
  inventory(): Promise<StorageInventory>;
  /**
   * Decommissioning (Telegram's terms: delete the data when the bot is shut down): delete every
   * person's consent state, dialog state, history and profile, the consent state first (so a
   * process still running stores nothing new), then every wrapped data key, which makes every
   * copy of the encrypted data unreadable. The evidence ledgers (consent ledger, rights requests,
   * breaches and their notices) stay until their own retention ends. Idempotent: a rerun finishes
   * an interrupted purge. Meant for a stopped bot: a running one still holds keys in its cache.
   */
  purgePersonalData(): Promise<PurgeReport>;
  close(): Promise<void>;
}

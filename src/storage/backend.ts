import type { DataKeyStore } from '../crypto/data-key-store-port';
import type { FieldSealer } from '../crypto/field-sealer';
import type { Stores } from './ports';

export type BackendKind = 'sqlite' | 'mongodb';

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
  close(): Promise<void>;
}

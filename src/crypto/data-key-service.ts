import { AppError } from '../core/errors';
import { logId } from '../logging/log-id';
import type { Logger } from '../logging/logger';
import type { DataKeyRecord, DataKeyStore } from './data-key-store-port';
import type { CachedKey, KeyCache } from './key-cache';
import { DATA_KEY_PURPOSE, type KeyContext, type KeyProvider } from './key-provider';
import { type RotationOptions, type RotationSummary, rotateAllKeys } from './key-rotation';

/** A subject's unwrapped data key. `key` is the caller's own copy: `fill(0)` it when done. */
export type DataKey = CachedKey;

/** The data key version a new subject starts with (the `kv` of its encrypted fields). */
export const INITIAL_KEY_VERSION = 1;

export interface DataKeyServiceDeps {
  readonly store: DataKeyStore;
  readonly provider: KeyProvider;
  readonly cache: KeyCache;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** One unwrap shared by every caller that asked for the same subject while it was in flight. */
interface Flight {
  promise: Promise<DataKey | undefined>;
}

/**
 * Per-subject data keys: created on first storage, unwrapped through the cache, shredded on
 * erasure, re-wrapped on rotation. A warm turn is a cache hit and makes no KMS call.
 */
export class DataKeyService {
  private readonly store: DataKeyStore;
  private readonly provider: KeyProvider;
  private readonly cache: KeyCache;
  private readonly logger: Logger;
  private readonly now: () => Date;
  // Cold starts ask for the same subject many times at once; one KMS call serves them all.
  private readonly readFlights = new Map<string, Flight>();
  private readonly writeFlights = new Map<string, Flight>();

  constructor(deps: DataKeyServiceDeps) {
    this.store = deps.store;
    this.provider = deps.provider;
    this.cache = deps.cache;
    this.logger = deps.logger;
    this.now = deps.now ?? (() => new Date());
  }

  /** The key to encrypt with; the subject's first storage creates it (GenerateDataKey). */
  async keyForWrite(subjectId: string): Promise<DataKey> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const shared = await this.fly(this.writeFlights, subjectId, async (flight) => {
      return (await this.loadStored(subjectId)) ?? (await this.create(subjectId, flight));
    });
    if (!shared) throw new Error('unreachable: a write flight always yields a key');
    return { key: Buffer.from(shared.key), keyVersion: shared.keyVersion };
  }

  /** The key to decrypt with. No key means the subject was erased: AppError('KEY_SHREDDED'). */
  async keyForRead(subjectId: string): Promise<DataKey> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const shared = await this.loadStored(subjectId);
    if (!shared) {
      throw new AppError('KEY_SHREDDED', 'no data key: the subject was erased or never stored data');
    }
    return { key: Buffer.from(shared.key), keyVersion: shared.keyVersion };
  }

  /**
   * Crypto-shredding: delete the wrapped key (from then on every copy of the subject's data,
   * backups included, is unreadable), then forget the unwrapped one. Storage errors propagate:
   * a failed erasure must reach the person and the operator. Returns whether a key existed.
   */
  async shred(subjectId: string): Promise<boolean> {
    try {
      const existed = await this.store.delete(subjectId);
      this.logger.info({ subject: logId(subjectId), existed }, 'data key shredded');
      return existed;
    } finally {
      // After the delete: an unwrap that read the record before it was deleted must not
      // put the key back into the cache, so its flight is dropped (see loadStored).
      this.readFlights.delete(subjectId);
      this.writeFlights.delete(subjectId);
      this.cache.delete(subjectId);
    }
  }

  /** Re-wrap every data key under the provider's current master key. See key-rotation.ts. */
  rotateAll(options: RotationOptions = {}): Promise<RotationSummary> {
    return rotateAllKeys(
      { store: this.store, provider: this.provider, logger: this.logger, now: this.now },
      options,
    );
  }

  /** Shutdown: zero cached keys and close the provider's connections. */
  close(): void {
    this.cache.close();
    this.provider.close?.();
  }

  private loadStored(subjectId: string): Promise<DataKey | undefined> {
    return this.fly(this.readFlights, subjectId, async (flight) => {
      const record = await this.store.find(subjectId);
      if (!record) return undefined;
      const key = await this.unwrap(record);
      this.cacheIfCurrent(flight, this.readFlights, subjectId, key, record.keyVersion);
      return { key, keyVersion: record.keyVersion };
    });
  }

  private async create(subjectId: string, flight: Flight): Promise<DataKey> {
    const generated = await this.provider.generateDataKey(context(subjectId));
    let stored: DataKeyRecord;
    try {
      stored = await this.store.insert({
        subjectId,
        wrapped: generated.wrapped,
        keyVersion: INITIAL_KEY_VERSION,
        providerKeyId: generated.providerKeyId,
        provider: this.provider.name,
        createdAt: this.now(),
      });
    } catch (error) {
      generated.plaintext.fill(0);
      throw error;
    }
    if (!stored.wrapped.equals(generated.wrapped)) {
      // Another worker created this subject's key first; ours was never stored, so use theirs.
      generated.plaintext.fill(0);
      const key = await this.unwrap(stored);
      this.cacheIfCurrent(flight, this.writeFlights, subjectId, key, stored.keyVersion);
      return { key, keyVersion: stored.keyVersion };
    }
    this.logger.debug({ subject: logId(subjectId), provider: this.provider.name }, 'data key created');
    this.cacheIfCurrent(flight, this.writeFlights, subjectId, generated.plaintext, INITIAL_KEY_VERSION);
    return { key: generated.plaintext, keyVersion: INITIAL_KEY_VERSION };
  }

  private unwrap(record: DataKeyRecord): Promise<Buffer> {
    if (record.provider !== this.provider.name) {
      return Promise.reject(
        new AppError(
          'KMS_DENIED',
          `data key was wrapped by the ${record.provider} provider; this process uses ${this.provider.name}`,
        ),
      );
    }
    return this.provider.unwrap(record.wrapped, context(record.subjectId), record.providerKeyId);
  }

  /** A flight that shred() dropped must not cache: the key it unwrapped no longer exists. */
  private cacheIfCurrent(
    flight: Flight,
    flights: Map<string, Flight>,
    subjectId: string,
    key: Buffer,
    keyVersion: number,
  ): void {
    if (flights.get(subjectId) === flight) this.cache.set(subjectId, Buffer.from(key), keyVersion);
  }

  /**
   * Run `work` once per subject at a time; callers arriving meanwhile share its result. Each
   * caller copies the shared key right after its await resolves; those continuations are
   * microtasks, so zeroing the shared buffer in the next macrotask (setImmediate) is after all.
   */
  private fly(
    flights: Map<string, Flight>,
    subjectId: string,
    work: (flight: Flight) => Promise<DataKey | undefined>,
  ): Promise<DataKey | undefined> {
    const existing = flights.get(subjectId);
    if (existing) return existing.promise;
    const flight: Flight = { promise: Promise.resolve(undefined) };
    flight.promise = (async () => {
      try {
        const shared = await work(flight);
        if (shared) setImmediate(() => shared.key.fill(0));
        return shared;
      } catch (error) {
        this.logger.warn({ subject: logId(subjectId), err: error }, 'data key unavailable');
        throw error;
      } finally {
        if (flights.get(subjectId) === flight) flights.delete(subjectId);
      }
    })();
    flights.set(subjectId, flight);
    return flight.promise;
  }
}

function context(subjectId: string): KeyContext {
  return { subjectId, purpose: DATA_KEY_PURPOSE };
}

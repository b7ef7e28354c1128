export interface KeyCacheOptions {
  /** Most keys held at once; the least recently used goes first. */
  readonly maxEntries: number;
  /** How long an unwrapped key may stay in memory after it was unwrapped. */
  readonly maxAgeMs: number;
  /** How many times one unwrapping may be handed out before KMS is asked again. */
  readonly maxUses: number;
  /**
   * Zero expired keys in the background this often, so "max age" bounds how long key material
   * sits in memory, not merely how long it is used. 0 turns the sweeper off (tests, CLIs).
   */
  readonly sweepIntervalMs?: number;
  readonly now?: () => number;
}

export interface CachedKey {
  /** A private copy: the caller zeroes it when done; the cache zeroes its own on eviction. */
  readonly key: Buffer;
  readonly keyVersion: number;
}

/** Counters for the benchmark and for metrics; never key material. */
export interface KeyCacheStats {
  readonly hits: number;
  readonly misses: number;
  /** Removed to make room (LRU). */
  readonly evictions: number;
  /** Removed because of max age or max uses. */
  readonly expirations: number;
  /** Removed on request (crypto-shredding, shutdown). */
  readonly deletions: number;
  readonly size: number;
}

interface Entry {
  readonly key: Buffer;
  readonly keyVersion: number;
  readonly storedAt: number;
  uses: number;
}

/**
 * Unwrapped data keys, so a warm turn needs no KMS call. Every way out of the cache zeroes the
 * key Buffer, which is why callers only ever get copies: a turn still holding a key while another
 * turn evicts it must not find its key turned into zeros.
 */
export class KeyCache {
  // A Map iterates in insertion order; re-inserting on every hit keeps it in LRU order.
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout | undefined;
  private counters = { hits: 0, misses: 0, evictions: 0, expirations: 0, deletions: 0 };

  constructor(private readonly options: KeyCacheOptions) {
    for (const [name, value] of Object.entries({
      maxEntries: options.maxEntries,
      maxAgeMs: options.maxAgeMs,
      maxUses: options.maxUses,
    })) {
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`KeyCache ${name} must be a positive integer`);
    }
    this.now = options.now ?? Date.now;
    if (options.sweepIntervalMs) {
      this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs);
      // The sweeper alone must never keep the process alive.
      this.sweeper.unref();
    }
  }

  get(subjectId: string): CachedKey | undefined {
    const entry = this.entries.get(subjectId);
    if (!entry) {
      this.counters.misses++;
      return undefined;
    }
    if (this.isExpired(entry)) {
      this.remove(subjectId, entry, 'expirations');
      this.counters.misses++;
      return undefined;
    }
    entry.uses++;
    this.counters.hits++;
    const copy: CachedKey = { key: Buffer.from(entry.key), keyVersion: entry.keyVersion };
    if (entry.uses >= this.options.maxUses) {
      this.remove(subjectId, entry, 'expirations');
    } else {
      this.entries.delete(subjectId);
      this.entries.set(subjectId, entry);
    }
    return copy;
  }

  /** Takes ownership of `key`: the cache zeroes it on the way out, so pass a copy you no longer use. */
  set(subjectId: string, key: Buffer, keyVersion: number): void {
    const previous = this.entries.get(subjectId);
    if (previous) {
      // Replacing (two turns unwrapped the same key at once): the older copy is not needed.
      if (previous.key !== key) previous.key.fill(0);
      this.entries.delete(subjectId);
    }
    this.entries.set(subjectId, { key, keyVersion, storedAt: this.now(), uses: 0 });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.entries().next().value;
      if (!oldest) break;
      this.remove(oldest[0], oldest[1], 'evictions');
    }
  }

  /** Returns whether a key was cached. */
  delete(subjectId: string): boolean {
    const entry = this.entries.get(subjectId);
    if (!entry) return false;
    this.remove(subjectId, entry, 'deletions');
    return true;
  }

  /** Zero every key whose age or use budget ran out. Returns how many were removed. */
  sweep(): number {
    let removed = 0;
    for (const [subjectId, entry] of this.entries) {
      if (this.isExpired(entry)) {
        this.remove(subjectId, entry, 'expirations');
        removed++;
      }
    }
    return removed;
  }

  /** Zero every key. */
  clear(): void {
    for (const [subjectId, entry] of this.entries) this.remove(subjectId, entry, 'deletions');
  }

  /** Shutdown: stop the sweeper and zero every key. */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.clear();
  }

  stats(): KeyCacheStats {
    return { ...this.counters, size: this.entries.size };
  }

  private isExpired(entry: Entry): boolean {
    return this.now() - entry.storedAt >= this.options.maxAgeMs || entry.uses >= this.options.maxUses;
  }

  private remove(subjectId: string, entry: Entry, reason: 'evictions' | 'expirations' | 'deletions'): void {
    entry.key.fill(0);
    this.entries.delete(subjectId);
    this.counters[reason]++;
  }
}

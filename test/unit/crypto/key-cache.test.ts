import { randomBytes } from 'node:crypto';
import { KeyCache } from '../../../src/crypto/key-cache';

const isZeroed = (buffer: Buffer) => buffer.every((byte) => byte === 0);

function cacheWithClock(options: { maxEntries?: number; maxAgeMs?: number; maxUses?: number } = {}) {
  let now = 1_000_000;
  const cache = new KeyCache({
    maxEntries: options.maxEntries ?? 10,
    maxAgeMs: options.maxAgeMs ?? 60_000,
    maxUses: options.maxUses ?? 100,
    now: () => now,
  });
  return { cache, advance: (ms: number) => void (now += ms) };
}

describe('KeyCache', () => {
  it('counts hits and misses and hands out copies, never its own buffer', () => {
    const { cache } = cacheWithClock();
    const key = randomBytes(32);
    const original = Buffer.from(key);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', key, 2);

    const first = cache.get('a');
    expect(first?.keyVersion).toBe(2);
    expect(first?.key.equals(original)).toBe(true);
    expect(first?.key).not.toBe(key);
    first!.key.fill(0); // what callers do after use
    expect(cache.get('a')?.key.equals(original)).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, size: 1 });
  });

  it('expires a key at max age and zeroes it', () => {
    const { cache, advance } = cacheWithClock({ maxAgeMs: 1000 });
    const key = randomBytes(32);
    cache.set('a', key, 1);
    advance(999);
    expect(cache.get('a')).toBeDefined();
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(isZeroed(key)).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, expirations: 1, size: 0 });
  });

  it('hands a key out at most max-uses times, then zeroes it', () => {
    const { cache } = cacheWithClock({ maxUses: 2 });
    const key = randomBytes(32);
    cache.set('a', key, 1);
    expect(cache.get('a')).toBeDefined();
    expect(isZeroed(key)).toBe(false);
    expect(cache.get('a')).toBeDefined();
    expect(isZeroed(key)).toBe(true);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, expirations: 1 });
  });

  it('evicts the least recently used key when full, and zeroes it', () => {
    const { cache } = cacheWithClock({ maxEntries: 2 });
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    cache.set('a', a, 1);
    cache.set('b', b, 1);
    cache.get('a'); // now b is the least recently used
    cache.set('c', c, 1);
    expect(isZeroed(b)).toBe(true);
    expect(isZeroed(a) || isZeroed(c)).toBe(false);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.stats()).toMatchObject({ evictions: 1, size: 2 });
  });

  it('zeroes a key on explicit delete and says whether it was there', () => {
    const { cache } = cacheWithClock();
    const key = randomBytes(32);
    cache.set('a', key, 1);
    expect(cache.delete('a')).toBe(true);
    expect(isZeroed(key)).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ deletions: 1, size: 0 });
  });

  it('zeroes the older buffer when a key is replaced, and everything on clear', () => {
    const { cache } = cacheWithClock();
    const [older, newer, other] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    cache.set('a', older, 1);
    cache.set('a', newer, 1);
    expect(isZeroed(older)).toBe(true);
    expect(cache.get('a')?.key.equals(newer)).toBe(true);
    cache.set('b', other, 1);
    cache.clear();
    expect(isZeroed(newer) && isZeroed(other)).toBe(true);
    expect(cache.stats().size).toBe(0);
  });

  it('sweeps expired keys in the background so max age bounds time in memory', () => {
    jest.useFakeTimers();
    try {
      let now = 0;
      const cache = new KeyCache({
        maxEntries: 10,
        maxAgeMs: 1000,
        maxUses: 10,
        sweepIntervalMs: 500,
        now: () => now,
      });
      const stale = randomBytes(32);
      cache.set('stale', stale, 1);
      now = 900;
      const fresh = randomBytes(32);
      cache.set('fresh', fresh, 1);
      now = 1000;
      jest.advanceTimersByTime(500);
      expect(isZeroed(stale)).toBe(true);
      expect(isZeroed(fresh)).toBe(false);
      expect(cache.stats()).toMatchObject({ expirations: 1, size: 1 });
      cache.close();
      expect(isZeroed(fresh)).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses nonsensical limits', () => {
    expect(() => new KeyCache({ maxEntries: 0, maxAgeMs: 1, maxUses: 1 })).toThrow(/maxEntries/);
    expect(() => new KeyCache({ maxEntries: 1, maxAgeMs: 1.5, maxUses: 1 })).toThrow(/maxAgeMs/);
    expect(() => new KeyCache({ maxEntries: 1, maxAgeMs: 1, maxUses: -1 })).toThrow(/maxUses/);
  });
});

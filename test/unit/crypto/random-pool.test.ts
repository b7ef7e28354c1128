import { pooledRandomBytes } from '../../../src/crypto/random-pool';

describe('pooledRandomBytes', () => {
  it('gives values of the asked size, never the same twice, across many pool refills', () => {
    const seen = new Set<string>();
    // 4,000 x 12 bytes: more than ten refills of the 4 kB pool, and sizes that straddle its end.
    for (let i = 0; i < 4000; i++) {
      const size = i % 7 === 0 ? 33 : 12;
      const value = pooledRandomBytes(size);
      expect(value.length).toBe(size);
      seen.add(value.toString('hex'));
    }
    expect(seen.size).toBe(4000);
  });

  it('hands out copies, not views of the pool (which zeroes what it handed out, and refills)', () => {
    const value = pooledRandomBytes(16);
    const kept = Buffer.from(value);
    for (let i = 0; i < 1000; i++) pooledRandomBytes(12);
    expect(value.equals(kept)).toBe(true);
    expect(value.equals(Buffer.alloc(16))).toBe(false);
  });

  it('refuses sizes it cannot serve', () => {
    expect(() => pooledRandomBytes(0)).toThrow(RangeError);
    expect(() => pooledRandomBytes(4097)).toThrow(RangeError);
    expect(() => pooledRandomBytes(1.5)).toThrow(RangeError);
  });
});

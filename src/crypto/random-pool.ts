import { randomFillSync } from 'node:crypto';

/** Bytes the CSPRNG fills at a time: one kernel call for ~340 IVs. */
const POOL_BYTES = 4096;

const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * Small random values (IVs, row ids) from a pool the CSPRNG refills 4 kB at a time. Every
 * randomBytes() call is a trip to the kernel (~3.5 us on the benchmark VM), which two or three
 * times a turn showed in the profile; the pool costs ~0.2 us. Node's randomUUID() keeps the same
 * kind of cache. Each value is a copy, never a view into the pool, and its bytes are zeroed in the
 * pool once handed out, so no value is given twice nor stays readable in memory beside it.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 1 || size > POOL_BYTES)
    throw new RangeError('size must be 1 to 4096');
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const value = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return value;
}

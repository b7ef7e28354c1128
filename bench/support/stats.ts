/** Order statistics for timings. Every figure the benchmarks print goes through these. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of values already sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Less a hair, so floating point cannot push an exact rank up by one (99.9 / 100 * 2000 > 1998).
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Nearest rank: with fewer than 1,000 samples this is the maximum. */
  readonly p999Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

export function summariseLatencies(latenciesMs: ArrayLike<number>): LatencySummary {
  // A typed array sorts numerically (a plain array would sort as strings).
  const sorted = Float64Array.from(latenciesMs).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    p50Ms: percentileOfSorted(sorted, 50),
    p95Ms: percentileOfSorted(sorted, 95),
    p99Ms: percentileOfSorted(sorted, 99),
    p999Ms: percentileOfSorted(sorted, 99.9),
    meanMs: sorted.length > 0 ? total / sorted.length : Number.NaN,
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/**
 * A small seeded generator (mulberry32): the open loop's arrival times are reproducible, and
 * every variant at one offered rate gets exactly the same arrivals.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Milliseconds to the next arrival of a Poisson process of `perSecond` arrivals a second. */
export function exponentialGapMs(perSecond: number, random: () => number): number {
  // 1 - random() is in (0, 1]: never log(0).
  return (-Math.log(1 - random()) / perSecond) * 1000;
}

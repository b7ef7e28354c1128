/**
 * The performance targets of issue 6. Reported against, never asserted: a benchmark that fails
 * on a slow laptop would only teach people to skip it. A miss says by how much.
 */

export const TARGETS = {
  /** Full pipeline (encrypted history on the default SQLite backend), all simulated people at once. */
  turnsPerSecond: 1500,
  p99Ms: 25,
  /** Extra time per turn that encryption costs, against the same stores in plaintext. */
  encryptionOverhead: 0.15,
  /** A warm turn finds its data key in the cache. */
  warmKmsCallsPerTurn: 0,
  exportMs: 1000,
  eraseMs: 250,
} as const;

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** Empty when met; otherwise how far off, e.g. "by 4.2 ms (17% over)". */
  readonly miss: string;
  readonly measuredValue: number;
  readonly targetValue: number;
}

type Render = (value: number) => string;

/** The figure must not exceed the target (latency, time, overhead, KMS calls). */
export function atMost(
  name: string,
  measured: number,
  target: number,
  render: Render,
  { relative = true } = {},
): TargetCheck {
  const met = measured <= target;
  const over = relative && target > 0 ? ` (${(((measured - target) / target) * 100).toFixed(0)}% over)` : '';
  return {
    name,
    target: `<= ${render(target)}`,
    measured: render(measured),
    met,
    miss: met ? '' : Number.isNaN(measured) ? 'not measured' : `by ${render(measured - target)}${over}`,
    measuredValue: measured,
    targetValue: target,
  };
}

/** The figure must reach the target (throughput). */
export function atLeast(name: string, measured: number, target: number, render: Render): TargetCheck {
  const met = measured >= target;
  const under = target > 0 ? ` (${(((target - measured) / target) * 100).toFixed(0)}% under)` : '';
  return {
    name,
    target: `>= ${render(target)}`,
    measured: render(measured),
    met,
    miss: met ? '' : Number.isNaN(measured) ? 'not measured' : `by ${render(target - measured)}${under}`,
    measuredValue: measured,
    targetValue: target,
  };
}

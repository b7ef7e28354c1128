/**
 * The open-loop load model: turns arrive at a fixed offered rate whatever the bot does (a Poisson
 * process: independent exponential gaps), and each turn's latency runs from the moment it was
 * scheduled to arrive, not from the moment the driver got round to sending it. A closed loop
 * (load.ts) slows its own arrivals down whenever the bot is slow and so never sees the queue it
 * would have built ("coordinated omission"); this one does: a turn that had to wait behind a
 * slow one, or behind a blocked event loop, counts its wait.
 */
import { performance } from 'node:perf_hooks';
import { RssSampler } from './load';
import { type LatencySummary, exponentialGapMs, summariseLatencies } from './stats';

export interface OpenLoopOptions {
  /** Offered turns per second. */
  readonly perSecond: number;
  /** Arrivals in this first span are sent but not measured (caches, JIT, a queue to form). */
  readonly warmupMs: number;
  /** How long arrivals are measured after the warm-up (ignored when `until` is given). */
  readonly durationMs: number;
  /** Uniform [0, 1): seeded, so every variant gets the same arrivals at one rate. */
  readonly random: () => number;
  /**
   * Keep arriving until this says stop (checked at each arrival after the warm-up), for load that
   * lasts as long as something else runs (a retention sweep); at least `minMs`, at most `maxMs`.
   */
  readonly until?: () => boolean;
  readonly minMs?: number;
  readonly maxMs?: number;
}

export interface OpenLoopRun {
  readonly offeredPerSecond: number;
  /** Arrivals in the measured window divided by its length: the offered rate as sampled. */
  readonly arrivedPerSecond: number;
  /** Measured turns divided by the time from the window's start to the last one's reply. */
  readonly completedPerSecond: number;
  readonly windowMs: number;
  /** Measured turns; their latency is reply time minus scheduled arrival time. */
  readonly latency: LatencySummary;
  /** How late the driver sent measured turns after their scheduled time (p99): the event loop's backlog. */
  readonly sendLagP99Ms: number;
  readonly maxInFlight: number;
  /** The bot did not keep up: replies came at under 90% of the arrival rate. */
  readonly saturated: boolean;
  readonly peakRssBytes: number;
}

/** Replies slower than this share of arrivals: the queue grows for as long as the load lasts. */
const KEEPS_UP = 0.9;

/** Sends `turn(0)`, `turn(1)`, ... at Poisson arrival times; resolves when every reply is in. */
export async function runOpenLoop(
  options: OpenLoopOptions,
  turn: (index: number) => Promise<void>,
): Promise<OpenLoopRun> {
  const { perSecond, warmupMs, random } = options;
  const endMs = options.until ? (options.maxMs ?? Number.POSITIVE_INFINITY) : warmupMs + options.durationMs;
  const latencies: number[] = [];
  const lags: number[] = [];
  const sampler = new RssSampler();
  let inFlight = 0;
  let maxInFlight = 0;
  let sent = 0;
  let lastArrival = warmupMs;
  let lastReply = 0;
  let failure: { error: unknown } | undefined;
  let dispatching = true;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const finishOne = () => {
    inFlight--;
    if (!dispatching && inFlight === 0) settle();
  };

  sampler.start();
  const start = performance.now();
  let nextAt = exponentialGapMs(perSecond, random);
  const untilFrom = Math.max(warmupMs, options.minMs ?? 0);
  const stopAt = (at: number) =>
    failure !== undefined ||
    at >= endMs ||
    (options.until !== undefined && at >= untilFrom && options.until());

  await new Promise<void>((dispatched) => {
    const pump = () => {
      const now = performance.now() - start;
      while (nextAt <= now) {
        if (stopAt(nextAt)) {
          dispatching = false;
          dispatched();
          return;
        }
        const scheduled = nextAt;
        const measured = scheduled >= warmupMs;
        if (measured) {
          lags.push(now - scheduled);
          lastArrival = scheduled;
        }
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        turn(sent++).then(
          () => {
            const done = performance.now() - start;
            if (measured) {
              latencies.push(done - scheduled);
              lastReply = Math.max(lastReply, done);
            }
            finishOne();
          },
          (error: unknown) => {
            failure ??= { error };
            finishOne();
          },
        );
        nextAt += exponentialGapMs(perSecond, random);
      }
      // Timers fire late by a millisecond or more: sleep only when the next arrival is further off,
      // and spin through the event loop (letting replies run) when it is close.
      const wait = nextAt - (performance.now() - start);
      if (wait >= 2) setTimeout(pump, wait - 1);
      else setImmediate(pump);
    };
    pump();
  });
  if (inFlight === 0) settle();
  await settled;
  sampler.stop();
  if (failure) throw failure.error;

  const windowMs = Math.max(lastArrival - warmupMs, 1);
  const latency = summariseLatencies(latencies);
  const arrivedPerSecond = (latencies.length / windowMs) * 1000;
  const completedPerSecond = (latencies.length / Math.max(lastReply - warmupMs, 1)) * 1000;
  return {
    offeredPerSecond: perSecond,
    arrivedPerSecond,
    completedPerSecond,
    windowMs,
    latency,
    sendLagP99Ms: summariseLatencies(lags).p99Ms,
    maxInFlight,
    saturated: completedPerSecond < KEEPS_UP * arrivedPerSecond,
    peakRssBytes: sampler.peak,
  };
}

/** Where p99 first passes `thresholdMs` as the offered rate grows, by linear interpolation. */
export interface Knee {
  readonly thresholdMs: number;
  /** 'between': the estimate lies between two measured rates; 'below' the lowest; 'above' the highest. */
  readonly where: 'between' | 'below' | 'above';
  /** The interpolated rate ('between'), else the measured rate it lies beyond. */
  readonly perSecond: number;
}

export function kneeOf(
  points: readonly { readonly offeredPerSecond: number; readonly p99Ms: number }[],
  thresholdMs: number,
): Knee | null {
  const sorted = [...points].sort((a, b) => a.offeredPerSecond - b.offeredPerSecond);
  const first = sorted[0];
  if (!first) return null;
  if (first.p99Ms > thresholdMs) return { thresholdMs, where: 'below', perSecond: first.offeredPerSecond };
  for (let index = 1; index < sorted.length; index++) {
    const below = sorted[index - 1]!;
    const above = sorted[index]!;
    if (above.p99Ms <= thresholdMs) continue;
    const share = (thresholdMs - below.p99Ms) / (above.p99Ms - below.p99Ms);
    const perSecond = below.offeredPerSecond + share * (above.offeredPerSecond - below.offeredPerSecond);
    return { thresholdMs, where: 'between', perSecond };
  }
  return { thresholdMs, where: 'above', perSecond: sorted.at(-1)!.offeredPerSecond };
}

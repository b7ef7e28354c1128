/**
 * The open loop over a range of offered rates: for each rate, each contender in turn gets the
 * same Poisson arrivals (same seed) spread over a crowd of people who joined beforehand, and its
 * latency percentiles are measured from the scheduled arrival times (open-loop.ts). A contender
 * that no longer keeps up at one rate is not driven at the higher ones: its queue would only grow.
 */
import type { Crowd } from './crowd';
import { collectGarbage } from './load';
import { type Knee, type OpenLoopRun, kneeOf, runOpenLoop } from './open-loop';
import { seededRandom } from './stats';

/** The latency (p99) whose crossing the report calls the knee. */
export const KNEE_MS = 25;

export interface OpenLoopPlan {
  /** Offered rates, turns per second, ascending. */
  readonly rates: readonly number[];
  readonly warmupMs: number;
  readonly durationMs: number;
  /** A low rate runs longer, until this many turns are measured (p99.9 needs samples). */
  readonly minTurns: number;
  /** People in each contender's crowd (at least; more when the rate limit needs it). */
  readonly people: number;
}

export interface OpenLoopParticipant<Key extends string = string> {
  readonly key: Key;
  readonly label: string;
  crowd(round: string): Crowd;
}

/** One offered rate, as measured. */
export interface OpenLoopPoint {
  readonly offeredPerSecond: number;
  readonly arrivedPerSecond: number;
  readonly completedPerSecond: number;
  readonly turns: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly sendLagP99Ms: number;
  readonly maxInFlight: number;
  readonly saturated: boolean;
  readonly peakRssBytes: number;
}

export interface OpenLoopVariant {
  readonly label: string;
  readonly people: number;
  readonly points: readonly OpenLoopPoint[];
  /** Rates not driven because a lower one already saturated the contender. */
  readonly skippedRates: readonly number[];
  /** Where p99 passes KNEE_MS. */
  readonly knee: Knee | null;
}

export interface OpenLoopFigures {
  readonly plan: OpenLoopPlan;
  readonly variants: Readonly<Record<string, OpenLoopVariant>>;
}

/** Measured milliseconds at `rate`: the plan's duration, longer when that gives too few turns. */
export function measuredMsAt(plan: OpenLoopPlan, rate: number): number {
  return Math.max(plan.durationMs, (plan.minTurns / rate) * 1000);
}

/**
 * People enough that nobody exceeds the per-person turn limit over the whole open loop (each
 * person's turns come round-robin), with room to spare for the consent turn and Poisson bursts.
 */
export function crowdSize(plan: OpenLoopPlan, turnsPerMinute: number): number {
  const lowest = Math.min(...plan.rates);
  const warmup = (lowest * plan.warmupMs * 3) / 1000;
  const turns = plan.rates.reduce(
    (sum, rate) => sum + (rate * (plan.warmupMs + measuredMsAt(plan, rate))) / 1000,
    warmup,
  );
  return Math.max(plan.people, Math.ceil((turns * 1.3) / Math.max(1, turnsPerMinute - 2)));
}

export function pointOf(run: OpenLoopRun): OpenLoopPoint {
  return {
    offeredPerSecond: run.offeredPerSecond,
    arrivedPerSecond: run.arrivedPerSecond,
    completedPerSecond: run.completedPerSecond,
    turns: run.latency.count,
    p50Ms: run.latency.p50Ms,
    p99Ms: run.latency.p99Ms,
    p999Ms: run.latency.p999Ms,
    maxMs: run.latency.maxMs,
    meanMs: run.latency.meanMs,
    sendLagP99Ms: run.sendLagP99Ms,
    maxInFlight: run.maxInFlight,
    saturated: run.saturated,
    peakRssBytes: run.peakRssBytes,
  };
}

/** `people` new people join `crowd` (people `from` .. `from + people - 1`), a batch at a time. */
export async function joinCrowd(crowd: Crowd, people: number, from = 0): Promise<void> {
  const BATCH = 200;
  for (let offset = 0; offset < people; offset += BATCH) {
    const batch = Array.from(
      { length: Math.min(BATCH, people - offset) },
      (_, index) => from + offset + index,
    );
    await Promise.all(batch.map((person) => crowd.join(person)));
  }
}

/**
 * `people` join `crowd`, then chat for `warmupMs` at `rate` unmeasured: what the joining burst
 * leaves behind (garbage, a long WAL to checkpoint) is not charged to the first measurement.
 */
export async function joinAndWarmUp(
  crowd: Crowd,
  people: number,
  rate: number,
  warmupMs: number,
  cursor: { next: number },
): Promise<void> {
  await joinCrowd(crowd, people);
  collectGarbage();
  await driveCrowd(crowd, people, { rate, warmupMs: 0, durationMs: warmupMs, seed: 0 }, cursor);
  collectGarbage();
}

/** Drives `crowd`'s people round-robin at `rate` Poisson arrivals a second. */
export function driveCrowd(
  crowd: Crowd,
  people: number,
  options: {
    rate: number;
    warmupMs: number;
    durationMs: number;
    seed: number;
    until?: () => boolean;
    minMs?: number;
    maxMs?: number;
  },
  cursor = { next: 0 },
): Promise<OpenLoopRun> {
  return runOpenLoop(
    {
      perSecond: options.rate,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      random: seededRandom(options.seed),
      ...(options.until && { until: options.until }),
      ...(options.minMs !== undefined && { minMs: options.minMs }),
      ...(options.maxMs !== undefined && { maxMs: options.maxMs }),
    },
    () => crowd.next(cursor.next++ % people),
  );
}

export async function measureOpenLoop<Key extends string>(
  participants: readonly OpenLoopParticipant<Key>[],
  plan: OpenLoopPlan,
  turnsPerMinute: number,
  progress: (line: string) => void,
): Promise<OpenLoopFigures> {
  const people = crowdSize(plan, turnsPerMinute);
  const state = participants.map((participant) => ({
    participant,
    crowd: participant.crowd('open'),
    cursor: { next: 0 },
    points: [] as OpenLoopPoint[],
    skipped: [] as number[],
    saturated: false,
  }));
  const rates = [...plan.rates].sort((a, b) => a - b);
  for (const entry of state) {
    progress(`open loop: ${people} people join ${entry.participant.label}, then a warm-up`);
    await joinAndWarmUp(entry.crowd, people, rates[0] ?? 1, plan.warmupMs * 3, entry.cursor);
  }
  for (let rateIndex = 0; rateIndex < rates.length; rateIndex++) {
    const rate = rates[rateIndex]!;
    const order = state.map((_, index) => state[(index + rateIndex) % state.length]!);
    for (const entry of order) {
      if (entry.saturated) {
        entry.skipped.push(rate);
        continue;
      }
      const durationMs = measuredMsAt(plan, rate);
      collectGarbage();
      progress(
        `open loop, ${rate} turns/s offered for ${((plan.warmupMs + durationMs) / 1000).toFixed(1)} s: ${entry.participant.label}`,
      );
      const run = await driveCrowd(
        entry.crowd,
        people,
        { rate, warmupMs: plan.warmupMs, durationMs, seed: rate },
        entry.cursor,
      );
      collectGarbage();
      entry.points.push(pointOf(run));
      if (run.saturated) entry.saturated = true;
    }
  }
  const variants: Record<string, OpenLoopVariant> = {};
  for (const entry of state) {
    await entry.crowd.check();
    variants[entry.participant.key] = {
      label: entry.participant.label,
      people,
      points: entry.points,
      skippedRates: entry.skipped,
      knee: kneeOf(entry.points, KNEE_MS),
    };
  }
  return { plan, variants };
}

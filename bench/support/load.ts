/**
 * The load model: `people` simulated people at once, each holding a conversation of `turns`
 * turns and waiting for each reply before sending the next message (no pause in between). So
 * `people` turns are in flight at every moment, and a turn's latency includes its wait for the
 * event loop: by Little's law the mean latency is about people / throughput.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { type LatencySummary, summariseLatencies } from './stats';

/** One turn of one person; resolves when the reply is there. */
export type PersonTurn = (person: number, turn: number) => Promise<void>;

export interface LoadRun {
  readonly turns: number;
  readonly wallMs: number;
  readonly turnsPerSecond: number;
  readonly latency: LatencySummary;
  /** Highest resident set size sampled while the load ran. */
  readonly peakRssBytes: number;
}

/** How often resident memory is sampled while load runs. */
const RSS_SAMPLE_MS = 20;

export async function runConcurrent(people: number, turns: number, turn: PersonTurn): Promise<LoadRun> {
  const latencies = new Float64Array(people * turns);
  const sampler = new RssSampler();
  const person = async (index: number): Promise<void> => {
    for (let t = 0; t < turns; t++) {
      const started = performance.now();
      await turn(index, t);
      latencies[index * turns + t] = performance.now() - started;
    }
  };
  sampler.start();
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: people }, (_, index) => person(index)));
  } finally {
    sampler.stop();
  }
  const wallMs = performance.now() - started;
  return {
    turns: people * turns,
    wallMs,
    turnsPerSecond: (people * turns) / (wallMs / 1000),
    latency: summariseLatencies(latencies),
    peakRssBytes: sampler.peak,
  };
}

/** Samples process RSS on a timer; the timer only runs between turns, which is good enough for a peak. */
export class RssSampler {
  peak = process.memoryUsage.rss();
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
}

/**
 * A full garbage collection between runs, so one run's garbage is not the next one's pause.
 * `npm run bench` runs without --expose-gc, so the flag is set at run time and V8's gc function
 * taken from a fresh context (the flag applies to contexts created after it is set).
 */
export function collectGarbage(): void {
  gc ??= exposeGc();
  gc();
}

let gc: (() => void) | undefined;

function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

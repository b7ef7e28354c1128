import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResults } from '../../bench/support/results';

/**
 * Issue 14: `npm run bench -- --quick` runs every section of the benchmark end to end, in a few
 * seconds, on the default backend, and its report, JSON and chart hold every figure. Shape only:
 * no timing is ever asserted (a slow machine must not fail the tests).
 */

const ROOT = path.resolve(__dirname, '../..');
const PIPELINE = ['full', 'plaintext', 'noStorage'] as const;
const CONTENDERS = [...PIPELINE, 'botbuilder'] as const;

let dir: string;
let stdout = '';
let results: BenchResults;
let svg: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-quick-test-'));
  const out = path.join(dir, 'quick.json');
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  // The default backend's run, as `npm test` is.
  delete env.MONGODB_URI;
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), 'bench/run.ts', '--quick', '--out', out],
    {
      cwd: ROOT,
      env,
    },
  );
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`npm run bench -- --quick exited with ${code}; stderr:\n${stderr}`);
  results = JSON.parse(await fs.readFile(out, 'utf8')) as BenchResults;
  svg = await fs.readFile(path.join(dir, 'quick.svg'), 'utf8');
}, 90_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A measured figure: a finite number (JSON turns NaN into null). */
const figure = expect.any(Number) as unknown;
function expectFigures(value: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) {
    expect([key, value[key]]).toEqual([key, figure]);
    expect(Number.isFinite(value[key])).toBe(true);
  }
}

describe('npm run bench -- --quick (issue 14)', () => {
  it('says what it ran on: the machine, SQLite files and the local key provider', () => {
    expect(results.preset).toBe('quick');
    expect(results.machine.storage).toMatch(/^SQLite \d/);
    expect(results.machine.keyProvider).toBe('local');
    expect(results.machine.cpuCount).toBeGreaterThan(0);
    expect(results.machine.otherProcessesCpuShare).toBeGreaterThanOrEqual(0);
    expect(stdout).toMatch(/^other processes used \d+\.\d% of the machine's CPU during the run/m);
    expect(stdout).toMatch(/^machine: .+ x \d+, .+ RAM, .+, Node v\d+/m);
  });

  it('closed loop: every variant and the baseline, with throughput, percentiles and KMS figures', () => {
    const closed = results.closedLoop!;
    expect(Object.keys(closed.variants).sort()).toEqual([...CONTENDERS].sort());
    for (const key of CONTENDERS) {
      expectFigures(closed.variants[key] as unknown as Record<string, unknown>, [
        'turnsPerSecond',
        'p50Ms',
        'p95Ms',
        'p99Ms',
        'meanMs',
        'peakRssBytes',
      ]);
    }
    expect(closed.variants.full!.kmsCallsPerTurn).toBe(0);
    expect(closed.variants.full!.kmsCallsPerOnboarding).toBe(1);
    expect(closed.ratios).toEqual({
      fullVsPlaintext: expect.any(Object),
      fullVsNoStorage: expect.any(Object),
      fullVsBotbuilder: expect.any(Object),
      encryptionOverhead: figure,
    });
  });

  it('open loop: p50, p99 and p99.9 at every offered rate for every variant, and where p99 passes 25 ms', () => {
    const open = results.openLoop!;
    expect(Object.keys(open.variants).sort()).toEqual([...CONTENDERS].sort());
    for (const variant of Object.values(open.variants)) {
      const rates = [...variant.points.map((point) => point.offeredPerSecond), ...variant.skippedRates];
      expect(rates.sort((a, b) => a - b)).toEqual(open.plan.rates);
      expect(variant.points.length).toBeGreaterThan(0);
      for (const point of variant.points) {
        expect(point.turns).toBeGreaterThan(0);
        expectFigures(point as unknown as Record<string, unknown>, [
          'offeredPerSecond',
          'completedPerSecond',
          'p50Ms',
          'p99Ms',
          'p999Ms',
          'maxMs',
          'sendLagP99Ms',
        ]);
        expect(typeof point.saturated).toBe('boolean');
      }
      expect(variant.knee).toEqual({ thresholdMs: 25, where: expect.any(String), perSecond: figure });
    }
  });

  it('cost growth: people stored, export and erasure by size, a sweep under live load, KMS warm and cold', () => {
    expect(results.storedPeople!.map((size) => size.storedPeople)).toEqual(results.options.storedPeople);
    for (const size of results.storedPeople!) {
      expectFigures(size as unknown as Record<string, unknown>, [
        'seedMs',
        'dataFileBytes',
        'turnsPerSecond',
        'p99Ms',
        'kmsCallsPerReturningPerson',
      ]);
      expectFigures(size.open as unknown as Record<string, unknown>, ['p50Ms', 'p99Ms', 'p999Ms']);
    }
    expect(results.rights!.map((size) => size.messages)).toEqual(results.options.messages);
    for (const size of results.rights!) {
      expectFigures(size as unknown as Record<string, unknown>, [
        'exportMs',
        'exportBytes',
        'eraseMs',
        'erasedRowsGoneMs',
      ]);
    }
    const sweep = results.sweep!;
    expect(sweep.expiredRows).toBe(results.options.sweepRows);
    expect(sweep.deleted.history).toBe(sweep.expiredRows);
    expectFigures(sweep as unknown as Record<string, unknown>, ['sweepMs', 'rowsPerSecond', 'p99Ratio']);
    expectFigures(sweep.withoutSweep as unknown as Record<string, unknown>, ['p99Ms']);
    expectFigures(sweep.duringSweep as unknown as Record<string, unknown>, ['p99Ms']);
    // Counted, not timed: a warm turn never calls KMS; a new person's key is generated once,
    // a returning person's unwrapped once.
    expect(results.kms).toEqual({ perWarmTurn: 0, perNewPerson: 1, perReturningPerson: 1 });
    expectFigures(results.intents as unknown as Record<string, unknown>, [
      'trainMs',
      'loadFromCacheMs',
      'classifyMsPerMessage',
      'classifyMaxMs',
    ]);
    expect(results.intents!.locales).toEqual(['en', 'de', 'es', 'fr']);
    expectFigures(results as unknown as Record<string, unknown>, ['processPeakRssBytes', 'wallSeconds']);
  });

  it('checks every target of the issue, each with a measured figure', () => {
    const names = results.targets.map((check) => check.name);
    expect(names).toEqual([
      'closed loop: throughput (full)',
      'closed loop: full vs botbuilder baseline',
      'encryption cost vs plaintext storage',
      'KMS calls per warm turn',
      'open loop: p99 at 1,000 turns/s (full)',
      'open loop: rate where p99 passes 25 ms (full)',
      expect.stringMatching(/^erasure growth, /),
      expect.stringMatching(/^throughput, .* people stored$/),
      expect.stringMatching(/^live p99 during a .*-row sweep vs without$/),
      'intents: training, four languages',
      'intents: classifying one message',
    ]);
    for (const check of results.targets) expect(check.measured).not.toMatch(/not measured|NaN|n\/a/);
  });

  it('prints every section and the targets', () => {
    for (const heading of [
      '== Closed loop',
      '== Open loop',
      '== Cost growth: people already stored',
      '== Export and erasure',
      '== Intent classifier',
      '== Retention sweep',
      '== KMS calls',
      '== Targets',
    ]) {
      expect(stdout).toContain(heading);
    }
    expect(stdout).not.toMatch(/NaN/);
  });

  it('draws the open loop as an SVG: three percentile panels, one line per variant', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // A line per variant in each of the three panels, where the variant was measured at two rates
    // or more (a busy machine can make one fall behind after its first rate: a dot, no line).
    const lines = Object.values(results.openLoop!.variants).filter((variant) => variant.points.length > 1);
    expect(svg.match(/<polyline /g) ?? []).toHaveLength(3 * lines.length);
    expect(svg.match(/<circle /g)!.length).toBeGreaterThanOrEqual(3 * CONTENDERS.length);
    for (const variant of Object.values(results.openLoop!.variants)) expect(svg).toContain(variant.label);
    expect(results.chart).toBe('quick.svg');
  });
});

import { renderChart } from '../../../bench/support/chart';
import { kneeOf, runOpenLoop } from '../../../bench/support/open-loop';
import type { OpenLoopFigures, OpenLoopPoint } from '../../../bench/support/open-loop-suite';
import { PRESETS, parseBenchOptions } from '../../../bench/support/options';
import { checkTargets, kneeText } from '../../../bench/support/results';
import { exponentialGapMs, seededRandom, summariseLatencies } from '../../../bench/support/stats';

// The benchmark's load models, chart and options: what they compute, never how fast anything is.

describe('Poisson arrivals', () => {
  it('are reproducible from a seed, and their gaps average 1 / rate', () => {
    const first = seededRandom(42);
    const again = seededRandom(42);
    const values = Array.from({ length: 5 }, () => first());
    expect(Array.from({ length: 5 }, () => again())).toEqual(values);
    expect(seededRandom(43)()).not.toBe(values[0]);
    const random = seededRandom(7);
    const gaps = Array.from({ length: 20_000 }, () => exponentialGapMs(500, random));
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    expect(mean).toBeGreaterThan(1.9);
    expect(mean).toBeLessThan(2.1);
    expect(Math.min(...gaps)).toBeGreaterThan(0);
  });

  it('p99.9 is the nearest rank: the maximum below 1,000 samples', () => {
    const summary = summariseLatencies(Array.from({ length: 2000 }, (_, index) => index + 1));
    expect(summary).toMatchObject({ count: 2000, p50Ms: 1000, p99Ms: 1980, p999Ms: 1998, maxMs: 2000 });
    expect(summariseLatencies([3, 1, 2]).p999Ms).toBe(3);
  });
});

describe('the open loop', () => {
  it('measures latency from the scheduled arrival: turns queued behind a blocked loop count their wait', async () => {
    let calls = 0;
    const run = await runOpenLoop(
      { perSecond: 1000, warmupMs: 0, durationMs: 150, random: seededRandom(1) },
      async (index) => {
        calls++;
        // The first turn holds the event loop for 60 ms; the turns that arrive meanwhile cannot
        // even be sent. A closed loop would not have sent them either, and would not count it.
        if (index === 0) {
          const until = Date.now() + 60;
          while (Date.now() < until);
        }
        await Promise.resolve();
      },
    );
    expect(run.latency.count).toBe(calls);
    expect(calls).toBeGreaterThan(50);
    expect(run.latency.maxMs).toBeGreaterThanOrEqual(40);
    expect(run.sendLagP99Ms).toBeGreaterThanOrEqual(40);
    expect(run.maxInFlight).toBeGreaterThanOrEqual(1);
  });

  it('keeps arriving until told to stop, and sends nothing after', async () => {
    let stop = false;
    setTimeout(() => (stop = true), 80);
    let calls = 0;
    const run = await runOpenLoop(
      { perSecond: 500, warmupMs: 0, durationMs: 0, random: seededRandom(2), until: () => stop, maxMs: 5000 },
      () => {
        calls++;
        return Promise.resolve();
      },
    );
    expect(stop).toBe(true);
    expect(run.latency.count).toBe(calls);
    expect(calls).toBeGreaterThan(0);
  });

  it('fails when a turn fails, after the turns in flight settle', async () => {
    await expect(
      runOpenLoop({ perSecond: 1000, warmupMs: 0, durationMs: 50, random: seededRandom(3) }, (index) =>
        index === 3 ? Promise.reject(new Error('turn 3 failed')) : Promise.resolve(),
      ),
    ).rejects.toThrow('turn 3 failed');
  });
});

describe('the knee (where p99 passes 25 ms)', () => {
  const at = (offeredPerSecond: number, p99Ms: number) => ({ offeredPerSecond, p99Ms });

  it('interpolates between the last rate under and the first over', () => {
    expect(kneeOf([at(1000, 5), at(2000, 15), at(3000, 35)], 25)).toEqual({
      thresholdMs: 25,
      where: 'between',
      perSecond: 2500,
    });
  });

  it('says when it lies below the lowest or above the highest rate measured', () => {
    expect(kneeOf([at(500, 30), at(250, 26)], 25)).toEqual({
      thresholdMs: 25,
      where: 'below',
      perSecond: 250,
    });
    expect(kneeOf([at(250, 1), at(4000, 20)], 25)).toEqual({
      thresholdMs: 25,
      where: 'above',
      perSecond: 4000,
    });
    expect(kneeOf([], 25)).toBeNull();
    expect(kneeText({ thresholdMs: 25, where: 'above', perSecond: 4000 })).toBe('> 4,000 turns/s');
    expect(kneeText({ thresholdMs: 25, where: 'between', perSecond: 2345.6 })).toBe('~2,346 turns/s');
  });
});

function point(offeredPerSecond: number, p99Ms: number, saturated = false): OpenLoopPoint {
  return {
    offeredPerSecond,
    arrivedPerSecond: offeredPerSecond,
    completedPerSecond: offeredPerSecond,
    turns: 100,
    p50Ms: p99Ms / 4,
    p99Ms,
    p999Ms: p99Ms * 2,
    maxMs: p99Ms * 3,
    meanMs: p99Ms / 3,
    sendLagP99Ms: 0,
    maxInFlight: 3,
    saturated,
    peakRssBytes: 1,
  };
}

const FIGURES: OpenLoopFigures = {
  plan: { rates: [250, 1000, 2000], warmupMs: 0, durationMs: 1000, minTurns: 0, people: 10 },
  variants: {
    full: {
      label: 'full <encrypted> & "signed"',
      people: 10,
      points: [point(250, 2), point(1000, 8), point(2000, 40, true)],
      skippedRates: [],
      knee: kneeOf([point(250, 2), point(1000, 8), point(2000, 40)], 25),
    },
    botbuilder: {
      label: 'botbuilder',
      people: 10,
      points: [point(250, 1), point(1000, 2)],
      skippedRates: [2000],
      knee: null,
    },
  },
};

describe('the chart', () => {
  const svg = renderChart(FIGURES, 'machine <x>');

  it('has three percentile panels with one line per variant, the 25 ms line and escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3 * 2);
    expect(svg.match(/<circle [^>]*r="4"/g)).toHaveLength(3 * 5);
    expect(svg).toContain('full &lt;encrypted&gt; &amp; &quot;signed&quot;');
    expect(svg).toContain('machine &lt;x&gt;');
    expect(svg).not.toMatch(/NaN|undefined/);
    for (const title of ['p50 latency', 'p99 latency', 'p99.9 latency', '25 ms'])
      expect(svg).toContain(title);
    // A saturated point is hollow.
    expect(svg).toContain('fill="#ffffff" stroke="#1f77b4"');
  });

  it('balances its tags', () => {
    const opened = (svg.match(/<(?!\/)[a-z]+[^>]*[^/]>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
  });
});

describe('options', () => {
  it('runs every section at the default sizes, the large sizes on --large, tiny ones on --quick', () => {
    expect(parseBenchOptions([])).toMatchObject({
      preset: 'default',
      sections: ['closed', 'open', 'stored', 'rights', 'sweep', 'intents'],
      rates: [250, 500, 1000, 2000, 2500, 3000, 4000],
    });
    expect(parseBenchOptions(['--large'])).toMatchObject({
      storedPeople: [1000, 100_000],
      messages: [1000, 10_000, 100_000],
      sweepRows: 1_000_000,
    });
    expect(parseBenchOptions(['--quick']).people).toBe(PRESETS.quick.people);
  });

  it('lets a flag override its preset, and refuses what it cannot run', () => {
    expect(
      parseBenchOptions([
        '--quick',
        '--rates',
        '500,250,500',
        '--only',
        'open,closed',
        '--messages',
        '10_000',
      ]),
    ).toMatchObject({ rates: [250, 500], sections: ['closed', 'open'], messages: [10_000] });
    expect(() => parseBenchOptions(['--quick', '--large'])).toThrow('exclude each other');
    expect(() => parseBenchOptions(['--only', 'closed,fast'])).toThrow('--only takes');
    expect(() => parseBenchOptions(['--rates', '100,0'])).toThrow('--rates must be a positive integer');
    expect(() => parseBenchOptions(['--open-seconds', '0'])).toThrow(
      '--open-seconds must be a positive number',
    );
    expect(() => parseBenchOptions(['--bogus'])).toThrow();
  });
});

describe('targets', () => {
  it('the knee is met only above 2,000 turns/s, and a target without a figure says so', () => {
    const checks = checkTargets({
      generatedAt: '',
      preset: 'quick',
      options: {},
      machine: {
        cpuModel: 'x',
        cpuCount: 2,
        totalMemoryBytes: 1,
        platform: 'linux',
        node: 'v20',
        storage: null,
        mongodb: null,
        keyProvider: null,
        loadAverage: { atStart: [0, 0, 0], atEnd: [0, 0, 0] },
        otherProcessesCpuShare: 0,
      },
      openLoop: FIGURES,
      kms: { perWarmTurn: 0, perNewPerson: 1, perReturningPerson: 1 },
      processPeakRssBytes: 1,
      wallSeconds: 1,
    });
    expect(checks.map((check) => [check.name, check.met])).toEqual([
      ['open loop: p99 at 1,000 turns/s (full)', true],
      ['open loop: rate where p99 passes 25 ms (full)', false],
    ]);
    expect(checks[1]).toMatchObject({ measured: '~1,531 turns/s', miss: 'by 469 turns/s (23% under)' });
  });
});

/**
 * `npm run bench`: what a turn costs through the real pipeline (engine, consent gate, encryption,
 * the default SQLite storage in real files), what privacy costs on top of the same code without
 * it, where that stands against the Bot Framework SDK most Teams bots start from, and how cost
 * grows with what is stored. No server is needed; with MONGODB_URI set, the full pipeline is
 * measured on MongoDB as well.
 *
 *   npm run bench                      # the default sizes: a few minutes on two cores
 *   npm run bench -- --quick           # a few seconds: every figure, tiny sizes (npm test runs it)
 *   npm run bench -- --large           # 100,000 people stored, 100,000 messages, a 1,000,000-row sweep
 *   npm run bench -- --baseline-only   # the botbuilder baseline alone: no storage at all
 *   npm run bench -- --only closed,open [--rates 250,500,1000] [--people 200] [--turns 20] [--runs 3]
 *                    [--open-seconds 2] [--open-people 1000] [--stored-people 1000,10000]
 *                    [--messages 1000,10000] [--sweep-rows 100000] [--live-rate 1000] [--out <file>]
 *
 * Sections, in one process and one run (bench/support/options.ts lists the sizes of each preset):
 * - closed loop (closed-loop.ts): each variant's most turns per second with `people` people who
 *   each wait for their reply; the variants (pipeline-variants.ts) and the botbuilder baseline
 *   (botbuilder-baseline.ts) take turns, so the machine's noise is shared;
 * - open loop (open-loop-suite.ts): Poisson arrivals at fixed offered rates, latency from each
 *   turn's scheduled arrival, p50/p99/p99.9 per rate and where p99 passes 25 ms;
 * - cost growth (cost-growth.ts, rights.ts): people already stored, export and erasure of one
 *   person by number of messages, a retention sweep under live load; each on a fresh database.
 *
 * Prints a report, writes the results as JSON (bench/results/latest.json unless --out) and the
 * open loop as an SVG chart beside it. Exit codes: 0 done, 1 a failure (MONGODB_URI set but
 * unusable included), 2 usage error.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { errorCode } from '../src/core/errors';
import { createLogger } from '../src/logging/logger';
import { UsageError } from './support/args';
import { type BenchEnvironment, benchEnvironment } from './support/bench-config';
import { BotbuilderBaseline } from './support/botbuilder-baseline';
import { renderChart } from './support/chart';
import { type Contender, measureClosedLoop } from './support/closed-loop';
import { type LiveLoad, measureStoredPeople, measureSweep } from './support/cost-growth';
import { type MachineInfo, describeMachine } from './support/machine';
import { type OpenLoopParticipant, measureOpenLoop } from './support/open-loop-suite';
import { type BenchOptions, type Section, parseBenchOptions } from './support/options';
import {
  type PipelineVariant,
  PipelineCrowd,
  VARIANT_LABELS,
  runPipelineRound,
  startVariant,
  variantsFor,
} from './support/pipeline-variants';
import { printReport } from './support/report';
import {
  type BenchResults,
  type ContenderKey,
  type KmsFigures,
  checkTargets,
  closedLoopFigures,
} from './support/results';
import { measureIntentCost } from './support/intent-cost';
import { measureRightsSizes } from './support/rights';
import { BenchMongoError, openBenchSqlite } from './support/storage';

/** What the sections measured, filled in as they run. */
type Sections = {
  -readonly [
    Key in 'closedLoop' | 'openLoop' | 'storedPeople' | 'rights' | 'sweep' | 'intents'
  ]?: BenchResults[Key];
};

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const BASELINE_LABEL = 'botbuilder TestAdapter + MemoryStorage';

async function main(): Promise<number> {
  const started = performance.now();
  const options = parseBenchOptions(process.argv.slice(2));
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const baseline = new BotbuilderBaseline();
  const baselineContender: Contender<ContenderKey> = {
    key: 'botbuilder',
    label: BASELINE_LABEL,
    run: (round) => baseline.runRound(round, options.people, options.turns),
  };

  if (options.baselineOnly) {
    const variants = await measureClosedLoop([baselineContender], options, progress);
    await finish(
      options,
      started,
      { storage: null, mongodb: null, keyProvider: null },
      {
        closedLoop: closedLoopFigures(options, variants),
      },
    );
    return 0;
  }

  const has = (section: Section) => options.sections.includes(section);
  let env: BenchEnvironment | undefined;
  const variants: PipelineVariant[] = [];
  const closeVariants = async () => {
    for (const variant of variants.splice(0)) await variant.close().catch(() => undefined);
  };
  try {
    env = await environmentFor(options.turns);
    const { config } = env;
    for (const name of variantsFor(config)) variants.push(await startVariant(name, config, logger));
    const storageOf = (name: string) => variants.find((v) => v.name === name)?.storage.description ?? null;
    const machine = {
      storage: storageOf('full'),
      mongodb: storageOf('fullMongo'),
      keyProvider: config.keys.provider,
    };
    const sections: Sections = {};

    if (has('closed')) {
      const contenders: Contender<ContenderKey>[] = [
        ...variants.map((variant): Contender<ContenderKey> => ({
          key: variant.name,
          label: VARIANT_LABELS[variant.name],
          run: (round) => runPipelineRound(variant, round, options.people, options.turns),
        })),
        baselineContender,
      ];
      sections.closedLoop = closedLoopFigures(
        options,
        await measureClosedLoop(contenders, options, progress),
      );
    }

    if (has('open')) {
      const participants: OpenLoopParticipant<ContenderKey>[] = [
        ...variants.map((variant) => ({
          key: variant.name,
          label: VARIANT_LABELS[variant.name],
          crowd: (round: string) => new PipelineCrowd(variant, round),
        })),
        { key: 'botbuilder', label: BASELINE_LABEL, crowd: (round: string) => baseline.crowd(round) },
      ];
      sections.openLoop = await measureOpenLoop(
        participants,
        {
          rates: options.rates,
          warmupMs: options.openWarmupSeconds * 1000,
          durationMs: options.openSeconds * 1000,
          minTurns: options.openMinTurns,
          people: options.openPeople,
        },
        config.limits.turnsPerMinute,
        progress,
      );
    }
    // The sections below make databases of their own: free the variants' first.
    await closeVariants();

    const live: LiveLoad = {
      people: options.people,
      turns: options.turns,
      runs: options.runs,
      rate: options.liveRate,
      warmupMs: options.openWarmupSeconds * 1000,
      durationMs: options.openSeconds * 1000,
      // Round-robin over enough people that nobody passes the per-person limit in any minute.
      crowd: Math.max(
        options.openPeople,
        Math.ceil((options.liveRate * 60) / Math.max(1, config.limits.turnsPerMinute - 2)),
      ),
    };
    if (has('stored')) {
      sections.storedPeople = await measureStoredPeople(options.storedPeople, live, config, logger, progress);
    }
    if (has('rights')) {
      sections.rights = await measureRightsSizes(
        options.messages,
        options.runs,
        async () => {
          const storage = await openBenchSqlite('bench_rights', logger);
          const app = await createApp({ config, logger, storage: storage.backend });
          return {
            app,
            storage: storage.backend,
            close: async () => {
              await app.close();
              await storage.dispose();
            },
          };
        },
        progress,
      );
    }
    if (has('sweep')) {
      sections.sweep = await measureSweep(options.sweepRows, live, config, logger, progress);
    }
    if (has('intents')) {
      progress('intents: training the classifier for every language and classifying its corpus');
      sections.intents = await measureIntentCost(options.runs);
    }
    await finish(options, started, machine, sections);
    return 0;
  } finally {
    await closeVariants();
    await env?.cleanup();
  }
}

/**
 * The consent turn plus the conversation must fit the per-person turn rate limit, or the
 * benchmark would time refusals (the crowds also fail on any refused turn). The limiter still
 * runs; only its limit is raised, and only when --turns needs it.
 */
async function environmentFor(turns: number): Promise<BenchEnvironment> {
  const env = await benchEnvironment('bench');
  if (env.config.limits.turnsPerMinute > turns) return env;
  await env.cleanup();
  progress(
    `TURN_RATE_LIMIT_PER_MINUTE raised to ${turns + 1} so ${turns + 1} turns a person fit in a minute`,
  );
  return benchEnvironment('bench', { TURN_RATE_LIMIT_PER_MINUTE: String(turns + 1) });
}

async function finish(
  options: BenchOptions,
  started: number,
  storage: Pick<MachineInfo, 'storage' | 'mongodb' | 'keyProvider'>,
  sections: Sections,
): Promise<void> {
  const machine: MachineInfo = { ...describeMachine(), ...storage };
  const chartFile = options.out.replace(/\.json$/i, '') + '.svg';
  const full = sections.closedLoop?.variants.full;
  const stored = sections.storedPeople?.at(-1);
  const kms: KmsFigures = {
    perWarmTurn: full?.kmsCallsPerTurn ?? stored?.kmsCallsPerWarmTurn ?? null,
    perNewPerson: full?.kmsCallsPerOnboarding ?? stored?.kmsCallsPerNewPerson ?? null,
    perReturningPerson: stored?.kmsCallsPerReturningPerson ?? null,
  };
  const { preset, sections: ran, baselineOnly, out: _out, ...sizes } = options;
  const partial: Omit<BenchResults, 'targets'> = {
    generatedAt: new Date().toISOString(),
    preset,
    options: { sections: ran, baselineOnly, ...sizes },
    machine,
    ...sections,
    kms,
    // maxRSS is in kilobytes.
    processPeakRssBytes: process.resourceUsage().maxRSS * 1024,
    wallSeconds: (performance.now() - started) / 1000,
    ...(sections.openLoop && { chart: path.basename(chartFile) }),
  };
  const results: BenchResults = { ...partial, targets: checkTargets(partial) };
  printReport(results);
  await fs.mkdir(path.dirname(options.out), { recursive: true });
  await fs.writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  if (sections.openLoop) {
    const caption =
      `${machine.cpuModel} x ${machine.cpuCount}, Node ${machine.node}, ${machine.storage ?? 'no storage'}; ` +
      `${results.generatedAt}`;
    await fs.writeFile(chartFile, renderChart(sections.openLoop, caption));
  }
  const shown = (file: string) => {
    const relative = path.relative(process.cwd(), file);
    return relative.startsWith('..') ? file : relative;
  };
  process.stdout.write(`\nresults written to ${shown(options.out)}`);
  process.stdout.write(sections.openLoop ? `, chart to ${shown(chartFile)}\n` : '\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`npm run bench: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof BenchMongoError) {
      process.stderr.write(`npm run bench: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`npm run bench failed: ${errorCode(error)}: ${(error as Error).message}\n`);
    if (process.env.BENCH_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);

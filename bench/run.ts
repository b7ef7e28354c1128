/**
 * `npm run bench`: what one turn costs through the real pipeline (engine, consent gate,
 * encryption, the default SQLite storage in real files), what privacy costs on top of the same
 * code without it, and where that stands against the Bot Framework SDK most Teams bots start from.
 * No server is needed; with MONGODB_URI set, the full pipeline is measured on MongoDB as well.
 *
 *   npm run bench -- [--people 200] [--turns 20] [--runs 3] [--messages 10000] [--out <file>]
 *   npm run bench -- --baseline-only     # the botbuilder baseline alone: no storage at all
 *
 * In one process and one run: the pipeline three ways, four with MONGODB_URI (bench/support/
 * pipeline-variants.ts), the botbuilder baseline (bench/support/botbuilder-baseline.ts), then
 * export and erasure of one person with --messages stored messages on SQLite (bench/support/
 * rights.ts, shared with bench:rights).
 * Turns go straight to `app.engine.handle`, so no terminal I/O is timed. Every figure is the
 * median of --runs runs after a warm-up run; the variants take turns within each run, so a slow
 * moment of the machine does not land on one variant only.
 *
 * Prints a report and writes the results as JSON (bench/results/latest.json unless --out).
 * Exit codes: 0 done, 1 a failure (MONGODB_URI set but unusable included), 2 usage error.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type App, createApp } from '../src/app';
import { errorCode } from '../src/core/errors';
import { createLogger } from '../src/logging/logger';
import { UsageError, positiveInt } from './support/args';
import { type BenchEnvironment, benchEnvironment } from './support/bench-config';
import { BotbuilderBaseline } from './support/botbuilder-baseline';
import { collectGarbage } from './support/load';
import { type MachineInfo, describeMachine } from './support/machine';
import {
  type PipelineVariant,
  type PipelineVariantName,
  VARIANT_LABELS,
  runPipelineRound,
  startVariant,
  variantsFor,
} from './support/pipeline-variants';
import { printReport } from './support/report';
import {
  type BenchResults,
  type RunRecord,
  type VariantFigures,
  checkTargets,
  figuresOf,
  ratioOf,
} from './support/results';
import { measureRights, rightsMedians } from './support/rights';
import { BenchMongoError, type BenchStorage, openBenchSqlite } from './support/storage';

interface Options {
  readonly people: number;
  readonly turns: number;
  readonly runs: number;
  readonly messages: number;
  readonly out: string;
  readonly baselineOnly: boolean;
}

type ContenderKey = keyof BenchResults['variants'];

/** Something measured N people x M turns at a time: a pipeline variant or the baseline. */
interface Contender {
  readonly key: ContenderKey;
  readonly label: string;
  run(round: string): Promise<RunRecord>;
}

const DEFAULT_OUT = path.join(__dirname, 'results', 'latest.json');
/** History entries per insert while seeding the export/erasure person (as bench:rights). */
const SEED_BATCH = 500;

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        people: { type: 'string', default: '200' },
        turns: { type: 'string', default: '20' },
        runs: { type: 'string', default: '3' },
        messages: { type: 'string', default: '10000' },
        out: { type: 'string', default: DEFAULT_OUT },
        'baseline-only': { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    people: positiveInt('people', values.people),
    turns: positiveInt('turns', values.turns),
    runs: positiveInt('runs', values.runs),
    messages: positiveInt('messages', values.messages),
    out: path.resolve(values.out),
    baselineOnly: values['baseline-only'],
  };
}

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const machine = describeMachine();
  const baseline = baselineContender(options);

  if (options.baselineOnly) {
    const variants = { botbuilder: await measure([baseline], options).then((all) => all.botbuilder!) };
    await finish(options, { ...machine, storage: null, mongodb: null, keyProvider: null }, variants);
    return 0;
  }

  let env: BenchEnvironment | undefined;
  const variants: PipelineVariant[] = [];
  let rightsStorage: BenchStorage | undefined;
  let rightsApp: App | undefined;
  try {
    env = await environmentFor(options.turns);
    for (const name of variantsFor(env.config)) variants.push(await startVariant(name, env.config, logger));
    const contenders: Contender[] = [
      ...variants.map((variant): Contender => ({
        key: variant.name,
        label: VARIANT_LABELS[variant.name],
        run: (round) => runPipelineRound(variant, round, options.people, options.turns),
      })),
      baseline,
    ];
    const figures = await measure(contenders, options);

    progress(`export and erasure of ${options.messages} messages (fresh database)`);
    rightsStorage = await openBenchSqlite('bench_rights', logger);
    rightsApp = await createApp({ config: env.config, logger, storage: rightsStorage.backend });
    const rights = await measureRights(rightsApp, {
      messages: options.messages,
      runs: options.runs,
      batch: SEED_BATCH,
    });

    const storageOf = (name: PipelineVariantName) => variants.find((v) => v.name === name)?.storage;
    await finish(
      options,
      {
        ...machine,
        storage: storageOf('full')?.description ?? null,
        mongodb: storageOf('fullMongo')?.description ?? null,
        keyProvider: env.config.keys.provider,
      },
      figures,
      { messages: options.messages, ...rightsMedians(rights), raw: rights },
    );
    return 0;
  } finally {
    rightsApp?.close();
    await rightsStorage?.dispose();
    for (const variant of variants) await variant.close().catch(() => undefined);
    await env?.cleanup();
  }
}

function baselineContender(options: Options): Contender {
  const bot = new BotbuilderBaseline();
  return {
    key: 'botbuilder',
    label: 'botbuilder TestAdapter + MemoryStorage',
    run: (round) => bot.runRound(round, options.people, options.turns),
  };
}

/**
 * The consent turn plus the conversation must fit the per-person turn rate limit, or the
 * benchmark would time refusals (runPipelineRound also fails on any refused turn). The limiter
 * still runs; only its limit is raised, and only when --turns needs it.
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

/** A warm-up round, then --runs rounds; within a round the contenders take turns in a rotating order. */
async function measure(
  contenders: readonly Contender[],
  options: Options,
): Promise<Partial<Record<ContenderKey, VariantFigures>>> {
  const records = new Map<ContenderKey, RunRecord[]>(contenders.map((c) => [c.key, []]));
  for (const contender of contenders) {
    progress(`warm-up: ${contender.label}`);
    await contender.run('warmup');
    collectGarbage();
  }
  for (let run = 1; run <= options.runs; run++) {
    const order = contenders.map((_, index) => contenders[(index + run) % contenders.length]!);
    for (const contender of order) {
      progress(`run ${run}/${options.runs}: ${contender.label}`);
      records.get(contender.key)!.push(await contender.run(`run${run}`));
      collectGarbage();
    }
  }
  return Object.fromEntries(
    contenders.map((c) => [c.key, figuresOf(c.label, records.get(c.key)!, options.people)]),
  );
}

async function finish(
  options: Options,
  machine: MachineInfo,
  variants: BenchResults['variants'],
  rights?: BenchResults['rights'],
): Promise<void> {
  const { full, plaintext, noStorage, fullMongo, botbuilder } = variants;
  const partial: Omit<BenchResults, 'targets'> = {
    generatedAt: new Date().toISOString(),
    options: {
      people: options.people,
      turns: options.turns,
      runs: options.runs,
      baselineOnly: options.baselineOnly,
      messages: options.messages,
    },
    machine,
    variants,
    ratios: {
      ...(full && plaintext && { fullVsPlaintext: ratioOf(full, plaintext) }),
      ...(full && noStorage && { fullVsNoStorage: ratioOf(full, noStorage) }),
      ...(full && botbuilder && { fullVsBotbuilder: ratioOf(full, botbuilder) }),
      ...(full && fullMongo && { fullVsFullMongo: ratioOf(full, fullMongo) }),
      ...(full && plaintext && { encryptionOverhead: plaintext.turnsPerSecond / full.turnsPerSecond - 1 }),
    },
    ...(rights && { rights }),
    // maxRSS is in kilobytes.
    processPeakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  const results: BenchResults = { ...partial, targets: checkTargets(partial) };
  printReport(results);
  await fs.mkdir(path.dirname(options.out), { recursive: true });
  await fs.writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  const shown = path.relative(process.cwd(), options.out);
  process.stdout.write(`\nresults written to ${shown.startsWith('..') ? options.out : shown}\n`);
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
    process.exit(1);
  },
);

import type { IntentCost } from './intent-cost';
/** The console report of `npm run bench`: the machine, one table per section, the targets. */
import { fmtBytes, fmtInt, fmtMs, fmtPercent, fmtRatio, out, printTable } from './format';
import { KNEE_MS, type OpenLoopFigures, type OpenLoopPoint } from './open-loop-suite';
import { VARIANT_LABELS } from './pipeline-variants';
import {
  type BenchResults,
  type ClosedLoopFigures,
  type Ratio,
  type VariantFigures,
  kneeText,
} from './results';

/** Other processes using this share of the CPU or more while the benchmark ran: its figures are skewed. */
const BUSY_SHARE = 0.05;

export function printReport(results: BenchResults): void {
  const { machine } = results;
  out(`npm run bench (${results.preset} preset), ${results.wallSeconds.toFixed(0)} s`);
  out(
    `machine: ${machine.cpuModel} x ${machine.cpuCount}, ${fmtBytes(machine.totalMemoryBytes)} RAM, ` +
      `${machine.platform}, Node ${machine.node}`,
  );
  out(
    machine.storage
      ? `storage: ${machine.storage}; key provider: ${machine.keyProvider}`
      : 'storage: not used (--baseline-only)',
  );
  if (machine.mongodb) out(`${VARIANT_LABELS.fullMongo}: ${machine.mongodb}`);
  const others = machine.otherProcessesCpuShare;
  out(
    `other processes used ${fmtPercent(others)} of the machine's CPU during the run ` +
      `(load average at start: ${machine.loadAverage.atStart.join(' / ')})` +
      (others >= BUSY_SHARE
        ? ' - WARNING: the benchmark shared its cores, which skews every figure; rerun on an idle machine'
        : ''),
  );

  if (results.closedLoop) printClosedLoop(results.closedLoop);
  if (results.openLoop) printOpenLoop(results.openLoop);
  printCostGrowth(results);
  if (results.intents) printIntents(results.intents);
  printKms(results);
  out();
  out(`peak RSS of the whole process: ${fmtBytes(results.processPeakRssBytes)}`);
  if (results.chart) out(`chart: ${results.chart} (open it in a browser)`);
  printTargets(results);
}

function section(title: string): void {
  out();
  out(`== ${title}`);
}

function printClosedLoop(closed: ClosedLoopFigures): void {
  section(
    `Closed loop: ${closed.people} people at once x ${closed.turns} turns each, each waiting for the reply ` +
      `before the next message; median of ${closed.runs} runs after a warm-up`,
  );
  const variants = Object.values<VariantFigures>(closed.variants);
  printTable([
    ['variant', 'turns/s', 'p50', 'p95', 'p99', 'mean', 'KMS/turn', 'key-cache hits', 'peak RSS'],
    ...variants.map((v) => [
      v.label,
      fmtInt(v.turnsPerSecond),
      fmtMs(v.p50Ms),
      fmtMs(v.p95Ms),
      fmtMs(v.p99Ms),
      fmtMs(v.meanMs),
      v.kmsCallsPerTurn === null ? '-' : formatCalls(v.kmsCallsPerTurn),
      v.keyCacheHitRate === null ? '-' : fmtPercent(v.keyCacheHitRate),
      fmtBytes(v.peakRssBytes),
    ]),
  ]);
  out();
  out('first turn of each person (consent button; the baseline: "hi"), not in the figures above:');
  printTable([
    ['variant', 'turns/s', 'p50', 'p99', 'KMS/person'],
    ...variants.map((v) => [
      v.label,
      fmtInt(v.onboarding.turnsPerSecond),
      fmtMs(v.onboarding.p50Ms),
      fmtMs(v.onboarding.p99Ms),
      v.kmsCallsPerOnboarding === null ? '-' : formatCalls(v.kmsCallsPerOnboarding),
    ]),
  ]);

  const { ratios } = closed;
  const ratioRows: string[][] = [];
  const addRatio = (name: string, ratio: Ratio | undefined) => {
    if (ratio) ratioRows.push([name, fmtRatio(ratio.p50), fmtRatio(ratio.p99), fmtRatio(ratio.throughput)]);
  };
  addRatio('full / plaintext storage (encryption)', ratios.fullVsPlaintext);
  addRatio('full / no storage (all privacy-bound storage)', ratios.fullVsNoStorage);
  addRatio('full / botbuilder baseline (peer)', ratios.fullVsBotbuilder);
  addRatio('full / full on MongoDB (backend)', ratios.fullVsFullMongo);
  if (ratioRows.length > 0) {
    out();
    out('privacy tax (above x1 latency is slower, below x1 throughput is fewer turns/s):');
    printTable([['ratio', 'latency p50', 'latency p99', 'throughput'], ...ratioRows]);
  }
  const reference = closed.variants.full ?? closed.variants.botbuilder;
  if (reference) {
    out();
    out(
      `note: ${closed.people} turns are always in flight, so mean latency ~ people / throughput ` +
        `(Little's law): ${reference.label}: ${fmtMs(reference.meanMs)} measured, ` +
        `${fmtMs((closed.people / reference.turnsPerSecond) * 1000)} = ${closed.people} / ` +
        `${fmtInt(reference.turnsPerSecond)} turns/s. Closed-loop latency is queueing; the open loop below gives latency at a load.`,
    );
  }
}

function printOpenLoop(open: OpenLoopFigures): void {
  const { plan } = open;
  const people = Object.values(open.variants)[0]?.people ?? plan.people;
  section(
    `Open loop: Poisson arrivals at fixed offered rates over ${fmtInt(people)} people per variant, ` +
      `latency from each turn's scheduled arrival (no coordinated omission); ` +
      `${(plan.durationMs / 1000).toFixed(1)} s measured per rate after ${(plan.warmupMs / 1000).toFixed(1)} s warm-up` +
      (plan.minTurns > 0 ? `, longer at low rates until ${fmtInt(plan.minTurns)} turns` : ''),
  );
  const rows: string[][] = [
    ['variant', 'offered/s', 'turns', 'p50', 'p99', 'p99.9', 'max', 'replies/s', 'send lag p99', 'kept up'],
  ];
  for (const variant of Object.values(open.variants)) {
    for (const point of variant.points) rows.push(openRow(variant.label, point));
    for (const rate of variant.skippedRates) {
      rows.push([
        variant.label,
        fmtInt(rate),
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        '-',
        'not run (saturated below)',
      ]);
    }
  }
  printTable(rows);
  out();
  out(`where p99 passes ${KNEE_MS} ms (linear between measured rates):`);
  printTable([
    ['variant', 'knee'],
    ...Object.values(open.variants).map((variant) => [variant.label, kneeText(variant.knee)]),
  ]);
}

function openRow(label: string, point: OpenLoopPoint): string[] {
  return [
    label,
    fmtInt(point.offeredPerSecond),
    fmtInt(point.turns),
    fmtMs(point.p50Ms),
    fmtMs(point.p99Ms),
    fmtMs(point.p999Ms),
    fmtMs(point.maxMs),
    fmtInt(point.completedPerSecond),
    fmtMs(point.sendLagP99Ms),
    point.saturated ? 'NO (saturated)' : 'yes',
  ];
}

function printCostGrowth(results: BenchResults): void {
  const stored = results.storedPeople;
  if (stored && stored.length > 0) {
    const first = stored[0]!;
    section(
      `Cost growth: people already stored (full pipeline, fresh database per size; closed loop as above, ` +
        `open loop at ${fmtInt(first.open.offeredPerSecond)} turns/s)`,
    );
    printTable([
      [
        'people stored',
        'seeded in',
        'data file',
        'closed turns/s',
        'closed p99',
        'open p50',
        'open p99',
        'open p99.9',
        'KMS/returning person',
      ],
      ...stored.map((s) => [
        fmtInt(s.storedPeople),
        fmtMs(s.seedMs),
        fmtBytes(s.dataFileBytes),
        fmtInt(s.turnsPerSecond),
        fmtMs(s.p99Ms),
        fmtMs(s.open.p50Ms),
        fmtMs(s.open.p99Ms),
        fmtMs(s.open.p999Ms),
        formatCalls(s.kmsCallsPerReturningPerson),
      ]),
    ]);
    out('each stored person: consent state and ledger, a data key, two history lines, a profile field.');
  }
  const rights = results.rights;
  if (rights && rights.length > 0) {
    section('Export and erasure of one person (real data-rights service, fresh database per size)');
    printTable([
      [
        'messages stored',
        'runs',
        'export',
        'export file',
        'erasure (shred + delete)',
        'rows gone from the file',
        'seeded in',
      ],
      ...rights.map((r) => [
        fmtInt(r.messages),
        String(r.runs),
        fmtMs(r.exportMs),
        fmtBytes(r.exportBytes),
        fmtMs(r.eraseMs),
        fmtMs(r.erasedRowsGoneMs),
        fmtMs(r.seedMs),
      ]),
    ]);
    out(
      'erasure: the person is unreadable and every read is empty when it returns; beyond its first ' +
        'lines, the history rows are deleted in the background (the last column).',
    );
  }
  const sweep = results.sweep;
  if (sweep) {
    section(
      `Retention sweep: ${fmtInt(sweep.expiredRows)} expired history rows of ${fmtInt(sweep.owners)} people, ` +
        `deleted by backend.sweepExpired while live turns arrive at ${fmtInt(sweep.liveRate)} turns/s`,
    );
    out(
      `sweep: ${fmtMs(sweep.sweepMs)} (${fmtInt(sweep.rowsPerSecond)} rows/s); seeded in ${fmtMs(sweep.seedMs)}`,
    );
    printTable([
      ['live turns', 'turns', 'p50', 'p99', 'p99.9', 'max', 'kept up'],
      sweepRow('without a sweep', sweep.withoutSweep),
      sweepRow('during the sweep', sweep.duringSweep),
    ]);
    out(`p99 during / without: ${fmtRatio(sweep.p99Ratio)}`);
  }
}

function sweepRow(label: string, point: OpenLoopPoint): string[] {
  return [
    label,
    fmtInt(point.turns),
    fmtMs(point.p50Ms),
    fmtMs(point.p99Ms),
    fmtMs(point.p999Ms),
    fmtMs(point.maxMs),
    point.saturated ? 'NO (saturated)' : 'yes',
  ];
}

function printKms(results: BenchResults): void {
  const { kms } = results;
  if (kms.perWarmTurn === null && kms.perNewPerson === null && kms.perReturningPerson === null) return;
  const show = (value: number | null) => (value === null ? 'not measured' : formatCalls(value));
  section('KMS calls (key provider calls; the full pipeline)');
  printTable([
    ['when', 'calls'],
    ['per warm turn (data key cached)', show(kms.perWarmTurn)],
    ['per new person, cold (consent turn: GenerateDataKey)', show(kms.perNewPerson)],
    ['per returning person, key not cached (Decrypt)', show(kms.perReturningPerson)],
  ]);
}

function formatCalls(perTurn: number): string {
  return perTurn === 0 ? '0' : perTurn.toPrecision(3);
}

function printTargets(results: BenchResults): void {
  out();
  if (results.targets.length === 0) {
    out('targets: they concern our pipeline, which --baseline-only does not run.');
    return;
  }
  out('== Targets (reported, not enforced)');
  printTable([
    ['target', 'goal', 'measured', 'result'],
    ...results.targets.map((check) => [
      check.name,
      check.target,
      check.measured,
      check.met ? 'meets target' : `MISSES target ${check.miss}`,
    ]),
  ]);
}

function printIntents(intents: IntentCost): void {
  section(
    `Intent classifier (NLP.js, in the process): ${fmtInt(intents.trainingUtterances)} training utterances in ` +
      `${intents.locales.join(', ')}`,
  );
  out(`training every language (a start-up without a cached model): ${intents.trainMs.toFixed(0)} ms`);
  out(`loading the cached models (every later start-up): ${intents.loadFromCacheMs.toFixed(0)} ms`);
  out(
    `classifying one message: ${intents.classifyMsPerMessage.toFixed(3)} ms on average, ` +
      `${intents.classifyMaxMs.toFixed(2)} ms at most (${fmtInt(intents.classifiedMessages)} messages)`,
  );
}

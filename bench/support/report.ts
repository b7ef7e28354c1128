/** The console report of `npm run bench`: the machine, one table per concern, the targets. */
import { VARIANT_LABELS } from './pipeline-variants';
import { TARGETS } from './targets';
import { fmtBytes, fmtInt, fmtMs, fmtPercent, fmtRatio, out, printTable } from './format';
import type { BenchResults, Ratio, VariantFigures } from './results';

export function printReport(results: BenchResults): void {
  const { options, machine } = results;
  out(
    `npm run bench: ${options.people} people at once x ${options.turns} turns each; ` +
      `median of ${options.runs} runs after a warm-up`,
  );
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
  out();

  const variants = Object.values(results.variants);
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
  out("peak RSS: the highest sampled during that variant's runs; all variants share one process and heap.");
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

  const { ratios } = results;
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

  if (results.rights) {
    const { rights } = results;
    out();
    out(
      `export of ${fmtInt(rights.messages)} stored messages: ${fmtMs(rights.exportMs)}, ` +
        `file ${fmtBytes(rights.exportBytes)}; erasure (crypto-shred + delete): ${fmtMs(rights.eraseMs)}`,
    );
  }
  out(`peak RSS of the whole process: ${fmtBytes(results.processPeakRssBytes)}`);

  printLittlesLaw(results.variants.full ?? results.variants.botbuilder, options.people);
  printTargets(results);
}

function formatCalls(perTurn: number): string {
  return perTurn === 0 ? '0' : perTurn.toPrecision(3);
}

/**
 * Each person waits for the reply before the next message, so `people` turns are always in
 * flight and mean latency ~ people / throughput. Printed so nobody reads the latency columns as
 * service time; it also shows what the p99 target implies for throughput under this load.
 */
function printLittlesLaw(variant: VariantFigures | undefined, people: number): void {
  if (!variant) return;
  out();
  out(
    `note: ${people} turns are always in flight, so mean latency ~ people / throughput ` +
      `(Little's law): ${variant.label}: ${fmtMs(variant.meanMs)} measured, ` +
      `${fmtMs((people / variant.turnsPerSecond) * 1000)} = ${people} / ${fmtInt(variant.turnsPerSecond)} turns/s. ` +
      `A mean of ${TARGETS.p99Ms} ms at ${people} in flight needs ${fmtInt(people / (TARGETS.p99Ms / 1000))} turns/s.`,
  );
}

function printTargets(results: BenchResults): void {
  out();
  if (results.targets.length === 0) {
    out('targets: they concern our pipeline, which --baseline-only does not run.');
    return;
  }
  out('targets (reported, not enforced):');
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

/**
 * The benchmark's results as data: every run's figures, the medians the report prints, the
 * ratios between variants and the target checks. This is what goes into the JSON file.
 */
import type { KeyProviderCalls } from './counting-key-provider';
import type { LoadRun } from './load';
import type { MachineInfo } from './machine';
import type { PipelineVariantName } from './pipeline-variants';
import type { RightsResult } from './rights';
import { median } from './stats';
import { TARGETS, type TargetCheck, atLeast, atMost } from './targets';
import { fmtInt, fmtMs, fmtPercent } from './format';

export interface RunRecord {
  readonly conversation: LoadRun;
  readonly onboarding: LoadRun;
  readonly kms?: { readonly onboarding: KeyProviderCalls; readonly conversation: KeyProviderCalls };
  readonly cache?: { readonly hits: number; readonly misses: number };
  readonly historyStored?: number;
}

export interface VariantFigures {
  readonly label: string;
  /** Medians over the measured runs. */
  readonly turnsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly onboarding: { readonly turnsPerSecond: number; readonly p50Ms: number; readonly p99Ms: number };
  /** Provider calls per conversation turn (null: the variant has no key provider). */
  readonly kmsCallsPerTurn: number | null;
  /** Provider calls per person for the consent turn (the first data key is created there). */
  readonly kmsCallsPerOnboarding: number | null;
  /** Key-cache hits / lookups over every measured conversation turn (null: no lookups at all). */
  readonly keyCacheHitRate: number | null;
  /** Highest RSS sampled during this variant's runs (the process is shared by all variants). */
  readonly peakRssBytes: number;
  readonly runs: readonly RunRecord[];
}

export function figuresOf(label: string, runs: readonly RunRecord[], people: number): VariantFigures {
  const med = (pick: (run: RunRecord) => number) => median(runs.map(pick));
  const withKms = runs.filter((run) => run.kms);
  const lookups = runs.reduce((sum, run) => sum + (run.cache ? run.cache.hits + run.cache.misses : 0), 0);
  const hits = runs.reduce((sum, run) => sum + (run.cache?.hits ?? 0), 0);
  return {
    label,
    turnsPerSecond: med((run) => run.conversation.turnsPerSecond),
    p50Ms: med((run) => run.conversation.latency.p50Ms),
    p95Ms: med((run) => run.conversation.latency.p95Ms),
    p99Ms: med((run) => run.conversation.latency.p99Ms),
    meanMs: med((run) => run.conversation.latency.meanMs),
    onboarding: {
      turnsPerSecond: med((run) => run.onboarding.turnsPerSecond),
      p50Ms: med((run) => run.onboarding.latency.p50Ms),
      p99Ms: med((run) => run.onboarding.latency.p99Ms),
    },
    kmsCallsPerTurn:
      withKms.length > 0
        ? median(withKms.map((run) => run.kms!.conversation.total / run.conversation.turns))
        : null,
    kmsCallsPerOnboarding:
      withKms.length > 0 ? median(withKms.map((run) => run.kms!.onboarding.total / people)) : null,
    keyCacheHitRate: lookups > 0 ? hits / lookups : null,
    peakRssBytes: Math.max(
      ...runs.map((run) => Math.max(run.conversation.peakRssBytes, run.onboarding.peakRssBytes)),
    ),
    runs,
  };
}

/** a ÷ b for latency (above 1: a is slower) and throughput (below 1: a serves fewer turns). */
export interface Ratio {
  readonly p50: number;
  readonly p99: number;
  readonly throughput: number;
}

export function ratioOf(a: VariantFigures, b: VariantFigures): Ratio {
  return { p50: a.p50Ms / b.p50Ms, p99: a.p99Ms / b.p99Ms, throughput: a.turnsPerSecond / b.turnsPerSecond };
}

export interface RightsFigures {
  readonly messages: number;
  readonly exportMs: number;
  readonly exportBytes: number;
  readonly eraseMs: number;
  readonly raw: RightsResult;
}

export interface BenchResults {
  readonly generatedAt: string;
  readonly options: {
    readonly people: number;
    readonly turns: number;
    readonly runs: number;
    readonly baselineOnly: boolean;
    readonly messages: number;
  };
  readonly machine: MachineInfo;
  readonly variants: Partial<Record<PipelineVariantName | 'botbuilder', VariantFigures>>;
  readonly ratios: {
    readonly fullVsPlaintext?: Ratio;
    readonly fullVsNoStorage?: Ratio;
    readonly fullVsBotbuilder?: Ratio;
    /** The default backend against MongoDB, same pipeline (only when MONGODB_URI is set). */
    readonly fullVsFullMongo?: Ratio;
    /** Extra time per turn that encryption costs: plaintext turns/s ÷ full turns/s − 1. */
    readonly encryptionOverhead?: number;
  };
  readonly rights?: RightsFigures;
  /** process.resourceUsage().maxRSS, in bytes: the peak of the whole benchmark process. */
  readonly processPeakRssBytes: number;
  readonly targets: readonly TargetCheck[];
}

const kmsRender = (value: number) => (value === 0 ? '0' : value.toPrecision(3));

/** Every target that the measured variants allow checking; none in --baseline-only. */
export function checkTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const { full } = results.variants;
  const checks: TargetCheck[] = [];
  if (full) {
    const people = results.options.people;
    checks.push(
      atLeast(
        'throughput (full)',
        full.turnsPerSecond,
        TARGETS.turnsPerSecond,
        (v) => `${fmtInt(v)} turns/s`,
      ),
    );
    checks.push(atMost(`p99 latency at ${people} concurrent (full)`, full.p99Ms, TARGETS.p99Ms, fmtMs));
    if (results.ratios.encryptionOverhead !== undefined) {
      checks.push(
        atMost(
          'encryption cost vs plaintext',
          results.ratios.encryptionOverhead,
          TARGETS.encryptionOverhead,
          fmtPercent,
          {
            relative: false,
          },
        ),
      );
    }
    checks.push(
      atMost(
        'KMS calls per warm turn',
        full.kmsCallsPerTurn ?? Number.NaN,
        TARGETS.warmKmsCallsPerTurn,
        kmsRender,
        {
          relative: false,
        },
      ),
    );
  }
  const { rights } = results;
  if (rights) {
    checks.push(
      atMost(`export of ${fmtInt(rights.messages)} messages`, rights.exportMs, TARGETS.exportMs, fmtMs),
    );
    checks.push(
      atMost(`erasure of ${fmtInt(rights.messages)} messages`, rights.eraseMs, TARGETS.eraseMs, fmtMs),
    );
  }
  return checks;
}

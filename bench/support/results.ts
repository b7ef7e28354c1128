import type { IntentCost } from './intent-cost';
/**
 * The benchmark's results as data: every run's figures, the medians the report prints, the
 * ratios between variants and the target checks. This is what goes into the JSON file.
 */
import type { KeyProviderCalls } from './counting-key-provider';
import type { LoadRun } from './load';
import type { MachineInfo } from './machine';
import type { PipelineVariantName } from './pipeline-variants';
import type { Knee } from './open-loop';
import { KNEE_MS, type OpenLoopFigures } from './open-loop-suite';
import type { RightsSizeFigures } from './rights';
import type { StoredPeopleFigures, SweepFigures } from './cost-growth';
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

/** Closed-loop figures of every contender, with the ratios the report prints. */
export interface ClosedLoopFigures {
  readonly people: number;
  readonly turns: number;
  readonly runs: number;
  readonly variants: Partial<Record<ContenderKey, VariantFigures>>;
  readonly ratios: {
    readonly fullVsPlaintext?: Ratio;
    readonly fullVsNoStorage?: Ratio;
    readonly fullVsBotbuilder?: Ratio;
    /** The default backend against MongoDB, same pipeline (only when MONGODB_URI is set). */
    readonly fullVsFullMongo?: Ratio;
    /** Extra time per turn that encryption costs: plaintext turns/s ÷ full turns/s − 1. */
    readonly encryptionOverhead?: number;
  };
}

export type ContenderKey = PipelineVariantName | 'botbuilder';

export function closedLoopFigures(
  options: { people: number; turns: number; runs: number },
  variants: Partial<Record<ContenderKey, VariantFigures>>,
): ClosedLoopFigures {
  const { full, plaintext, noStorage, fullMongo, botbuilder } = variants;
  return {
    ...options,
    variants,
    ratios: {
      ...(full && plaintext && { fullVsPlaintext: ratioOf(full, plaintext) }),
      ...(full && noStorage && { fullVsNoStorage: ratioOf(full, noStorage) }),
      ...(full && botbuilder && { fullVsBotbuilder: ratioOf(full, botbuilder) }),
      ...(full && fullMongo && { fullVsFullMongo: ratioOf(full, fullMongo) }),
      ...(full && plaintext && { encryptionOverhead: plaintext.turnsPerSecond / full.turnsPerSecond - 1 }),
    },
  };
}

/** KMS (key provider) calls, the full pipeline on the default backend. */
export interface KmsFigures {
  /** A conversation turn of a person whose data key is cached. */
  readonly perWarmTurn: number | null;
  /** A new person's consent turn: their data key is generated. */
  readonly perNewPerson: number | null;
  /** A stored person coming back with their key out of the cache: it is unwrapped. */
  readonly perReturningPerson: number | null;
}

export interface BenchResults {
  readonly generatedAt: string;
  /** The option set it ran with: `quick`, `default` or `large`, before any explicit flag. */
  readonly preset: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly machine: MachineInfo;
  readonly closedLoop?: ClosedLoopFigures;
  readonly openLoop?: OpenLoopFigures;
  readonly storedPeople?: readonly StoredPeopleFigures[];
  readonly rights?: readonly RightsSizeFigures[];
  readonly sweep?: SweepFigures;
  /** The intent classifier (issue 15): training, loading from its cache, one classification. */
  readonly intents?: IntentCost;
  readonly kms: KmsFigures;
  /** process.resourceUsage().maxRSS, in bytes: the peak of the whole benchmark process. */
  readonly processPeakRssBytes: number;
  readonly wallSeconds: number;
  /** The SVG chart written beside the JSON (file name), when the open loop ran. */
  readonly chart?: string;
  readonly targets: readonly TargetCheck[];
}

const kmsRender = (value: number) => (value === 0 ? '0' : value.toPrecision(3));
const turnsRender = (value: number) => `${fmtInt(value)} turns/s`;
const ratioRender = (value: number) => (Number.isFinite(value) ? `x${value.toFixed(2)}` : 'n/a');

/** Every target the measured sections allow checking; a section that did not run checks nothing. */
export function checkTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];

  const closed = results.closedLoop;
  const full = closed?.variants.full;
  if (closed && full) {
    checks.push(
      atLeast('closed loop: throughput (full)', full.turnsPerSecond, TARGETS.turnsPerSecond, turnsRender),
    );
    const { botbuilder } = closed.variants;
    if (botbuilder) {
      checks.push(
        atLeast(
          'closed loop: full vs botbuilder baseline',
          full.turnsPerSecond,
          botbuilder.turnsPerSecond * TARGETS.versusBotbuilder,
          turnsRender,
        ),
      );
    }
    if (closed.ratios.encryptionOverhead !== undefined) {
      checks.push(
        atMost(
          'encryption cost vs plaintext storage',
          closed.ratios.encryptionOverhead,
          TARGETS.encryptionOverhead,
          fmtPercent,
          { relative: false },
        ),
      );
    }
    checks.push(
      atMost(
        'KMS calls per warm turn',
        full.kmsCallsPerTurn ?? Number.NaN,
        TARGETS.warmKmsCallsPerTurn,
        kmsRender,
        { relative: false },
      ),
    );
  }
  const open = results.openLoop?.variants.full;
  if (open) {
    const at = open.points.find((point) => point.offeredPerSecond === TARGETS.openAtPerSecond);
    checks.push(
      atMost(
        `open loop: p99 at ${fmtInt(TARGETS.openAtPerSecond)} turns/s (full)`,
        at?.p99Ms ?? Number.NaN,
        TARGETS.openP99Ms,
        fmtMs,
      ),
    );
    checks.push(kneeCheck(open.knee));
  }
  const rights = results.rights ?? [];
  const reference = rights.find((size) => size.messages === TARGETS.exportMessages);
  if (reference) {
    const n = fmtInt(reference.messages);
    checks.push(atMost(`export of ${n} messages`, reference.exportMs, TARGETS.exportMs, fmtMs));
    checks.push(atMost(`erasure of ${n} messages`, reference.eraseMs, TARGETS.eraseMs, fmtMs));
  }
  const fewest = rights[0];
  const most = rights.at(-1);
  if (fewest && most && most !== fewest) {
    checks.push(
      atMost(
        `erasure growth, ${fmtInt(most.messages)} vs ${fmtInt(fewest.messages)} messages`,
        most.eraseMs / fewest.eraseMs,
        TARGETS.eraseGrowth,
        ratioRender,
        { relative: false },
      ),
    );
  }
  const stored = results.storedPeople ?? [];
  const small = stored[0];
  const large = stored.at(-1);
  if (small && large && small !== large) {
    checks.push(
      atLeast(
        `throughput, ${fmtInt(large.storedPeople)} vs ${fmtInt(small.storedPeople)} people stored`,
        large.turnsPerSecond / small.turnsPerSecond,
        TARGETS.storedPeopleThroughput,
        ratioRender,
      ),
    );
  }
  if (results.sweep) {
    checks.push(
      atMost(
        `live p99 during a ${fmtInt(results.sweep.expiredRows)}-row sweep vs without`,
        results.sweep.p99Ratio,
        TARGETS.sweepP99Ratio,
        ratioRender,
        { relative: false },
      ),
    );
  }
  if (results.intents) {
    const msRender = (value: number) => `${value.toPrecision(3)} ms`;
    checks.push(
      atMost('intents: training, four languages', results.intents.trainMs, TARGETS.intentTrainMs, msRender),
      atMost(
        'intents: classifying one message',
        results.intents.classifyMsPerMessage,
        TARGETS.intentClassifyMs,
        msRender,
      ),
    );
  }
  return checks;
}

/** The knee must lie above TARGETS.kneeAbovePerSecond: measured there, or never reached below the top rate. */
function kneeCheck(knee: Knee | null): TargetCheck {
  const target = TARGETS.kneeAbovePerSecond;
  const name = `open loop: rate where p99 passes ${KNEE_MS} ms (full)`;
  const goal = `> ${fmtInt(target)} turns/s`;
  if (!knee) {
    return {
      name,
      target: goal,
      measured: 'not measured',
      met: false,
      miss: 'not measured',
      measuredValue: Number.NaN,
      targetValue: target,
    };
  }
  const measured = kneeText(knee);
  const met =
    knee.where === 'below'
      ? false
      : knee.perSecond > target || (knee.where === 'above' && knee.perSecond >= target);
  const short = Math.max(0, target - knee.perSecond);
  return {
    name,
    target: goal,
    measured,
    met,
    miss: met ? '' : `by ${fmtInt(short)} turns/s (${((short / target) * 100).toFixed(0)}% under)`,
    measuredValue: knee.perSecond,
    targetValue: target,
  };
}

/** "~2,350 turns/s", "> 4,000 turns/s" (never passed), "< 250 turns/s" (passed at the lowest). */
export function kneeText(knee: Knee | null): string {
  if (!knee) return 'n/a';
  const rate = fmtInt(knee.perSecond);
  if (knee.where === 'above') return `> ${rate} turns/s`;
  if (knee.where === 'below') return `< ${rate} turns/s`;
  return `~${rate} turns/s`;
}

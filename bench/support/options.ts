/**
 * `npm run bench` options. Three presets set every size at once: the default (a few minutes on
 * two cores), `--quick` (a few seconds: proves the benchmark runs end to end and reports every
 * figure; its numbers mean little) and `--large` (the full sizes: 100,000 people stored,
 * 100,000 messages exported and erased, a 1,000,000-row retention sweep). Any explicit flag
 * overrides its preset.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, positiveInt } from './args';

export const SECTIONS = ['closed', 'open', 'stored', 'rights', 'sweep', 'intents'] as const;
export type Section = (typeof SECTIONS)[number];

export type Preset = 'quick' | 'default' | 'large';

export interface BenchOptions {
  readonly preset: Preset;
  readonly sections: readonly Section[];
  readonly baselineOnly: boolean;
  readonly out: string;
  /** Closed loop: people at once, turns each, measured runs after a warm-up. */
  readonly people: number;
  readonly turns: number;
  readonly runs: number;
  /** Open loop: offered rates (turns/s), measured seconds per rate after a warm-up, crowd size. */
  readonly rates: readonly number[];
  readonly openSeconds: number;
  readonly openWarmupSeconds: number;
  readonly openMinTurns: number;
  readonly openPeople: number;
  /** Cost growth: people already stored, messages of the exported/erased person, expired rows swept. */
  readonly storedPeople: readonly number[];
  readonly messages: readonly number[];
  readonly sweepRows: number;
  /** Open-loop rate of the live turns in the cost-growth sections. */
  readonly liveRate: number;
}

type Sizes = Omit<BenchOptions, 'preset' | 'sections' | 'baselineOnly' | 'out'>;

const DEFAULT: Sizes = {
  people: 200,
  turns: 20,
  runs: 3,
  rates: [250, 500, 1000, 2000, 2500, 3000, 4000],
  openSeconds: 1.5,
  openWarmupSeconds: 0.3,
  openMinTurns: 1000,
  openPeople: 1000,
  storedPeople: [1000, 10_000],
  messages: [1000, 10_000],
  sweepRows: 100_000,
  liveRate: 1000,
};

export const PRESETS: Record<Preset, Sizes> = {
  default: DEFAULT,
  large: {
    ...DEFAULT,
    storedPeople: [1000, 100_000],
    messages: [1000, 10_000, 100_000],
    sweepRows: 1_000_000,
  },
  quick: {
    people: 20,
    turns: 6,
    runs: 1,
    rates: [200, 1000],
    openSeconds: 0.2,
    openWarmupSeconds: 0.05,
    openMinTurns: 0,
    openPeople: 40,
    storedPeople: [20, 100],
    messages: [100, 300],
    sweepRows: 2000,
    liveRate: 100,
  },
};

export const DEFAULT_OUT = path.join(__dirname, '..', 'results', 'latest.json');

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        large: { type: 'boolean', default: false },
        only: { type: 'string' },
        'baseline-only': { type: 'boolean', default: false },
        out: { type: 'string', default: DEFAULT_OUT },
        people: { type: 'string' },
        turns: { type: 'string' },
        runs: { type: 'string' },
        rates: { type: 'string' },
        'open-seconds': { type: 'string' },
        'open-people': { type: 'string' },
        'stored-people': { type: 'string' },
        messages: { type: 'string' },
        'sweep-rows': { type: 'string' },
        'live-rate': { type: 'string' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.quick && values.large) throw new UsageError('--quick and --large exclude each other');
  const preset: Preset = values.quick ? 'quick' : values.large ? 'large' : 'default';
  const base = PRESETS[preset];
  const int = (name: string, raw: string | undefined, fallback: number) =>
    raw === undefined ? fallback : positiveInt(name, raw);
  const list = (name: string, raw: string | undefined, fallback: readonly number[]) =>
    raw === undefined ? fallback : positiveIntList(name, raw);
  const seconds = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number`);
    return value;
  };
  return {
    preset,
    sections: values.only === undefined ? [...SECTIONS] : sectionList(values.only),
    baselineOnly: values['baseline-only'],
    out: path.resolve(values.out),
    people: int('people', values.people, base.people),
    turns: int('turns', values.turns, base.turns),
    runs: int('runs', values.runs, base.runs),
    rates: list('rates', values.rates, base.rates),
    openSeconds: seconds('open-seconds', values['open-seconds'], base.openSeconds),
    openWarmupSeconds: base.openWarmupSeconds,
    openMinTurns: base.openMinTurns,
    openPeople: int('open-people', values['open-people'], base.openPeople),
    storedPeople: list('stored-people', values['stored-people'], base.storedPeople),
    messages: list('messages', values.messages, base.messages),
    sweepRows: int('sweep-rows', values['sweep-rows'], base.sweepRows),
    liveRate: int('live-rate', values['live-rate'], base.liveRate),
  };
}

/** "250,500,1000" in ascending order, duplicates dropped. */
function positiveIntList(name: string, raw: string): number[] {
  const values = raw.split(',').map((part) => positiveInt(name, part.trim().replaceAll('_', '')));
  return [...new Set(values)].sort((a, b) => a - b);
}

function sectionList(raw: string): Section[] {
  const wanted = raw.split(',').map((part) => part.trim());
  for (const name of wanted) {
    if (!(SECTIONS as readonly string[]).includes(name)) {
      throw new UsageError(`--only takes ${SECTIONS.join(', ')} (comma-separated), not "${name}"`);
    }
  }
  return SECTIONS.filter((section) => wanted.includes(section));
}

import fc from 'fast-check';

/**
 * How much the fuzz suites run. `npm test` runs each property a bounded number of times from a
 * fixed seed, so a failure reproduces on every machine; `FUZZ_RUNS` and `FUZZ_SEED` change both
 * (test/fuzz/run-long.ts sets them for the long run). A failure prints the seed and the shrunk
 * counterexample; `FUZZ_SEED=<seed>` with the same `FUZZ_RUNS` replays it.
 */

export const DEFAULT_SEED = 20261201;

export const FUZZ_SEED = integerFromEnv('FUZZ_SEED') ?? DEFAULT_SEED;

/** Replaces every property's own run count: FUZZ_RUNS=1000 runs each property 1000 times. */
const RUNS_FROM_ENV = integerFromEnv('FUZZ_RUNS');

/** FUZZ_VERBOSE=1: print how many values of each property reached what it is about. */
const VERBOSE = !['', '0', 'false'].includes(process.env.FUZZ_VERBOSE ?? '');

/** Long runs need longer than jest's default 30 s per test. */
export const FUZZ_TIMEOUT_MS = integerFromEnv('FUZZ_TIMEOUT_MS') ?? 30_000;

/**
 * fast-check parameters for one property: `defaultRuns` in `npm test`, FUZZ_RUNS when set. Every
 * property gets its own seed derived from FUZZ_SEED and its name, so adding a property does not
 * change what the others generate.
 */
export function fuzzParameters<T>(name: string, defaultRuns: number): fc.Parameters<T> {
  return {
    seed: (FUZZ_SEED ^ hash(name)) | 0,
    numRuns: RUNS_FROM_ENV ?? defaultRuns,
    // A long run stops cleanly before jest's timeout; what ran until then still counts.
    interruptAfterTimeLimit: Math.max(1000, FUZZ_TIMEOUT_MS - 5000),
    markInterruptAsFailure: false,
  };
}

function integerFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Runs `predicate` on `numRuns` values and checks that enough of them exercised the property:
 * the predicate returns true when a value reached the code under test the way the property is
 * about (a turn was made, a bot did speak), so a generator that drifts into producing only
 * ignored input fails instead of passing vacuously.
 */
export function assertProperty<T>(
  name: string,
  defaultRuns: number,
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => boolean | void,
  minShare = 0.02,
): void {
  const parameters = fuzzParameters<[T]>(name, defaultRuns);
  let exercised = 0;
  let runs = 0;
  fc.assert(
    fc.property(arb, (value) => {
      runs++;
      if (predicate(value) === true) exercised++;
    }),
    parameters,
  );
  if (VERBOSE) process.stdout.write(`[fuzz] ${name}: ${exercised}/${runs} exercised\n`);
  // Shrinking re-runs the predicate only on failure, so on success `runs` is numRuns (or fewer if
  // interrupted by the time limit).
  if (runs >= 50) {
    expect({ property: name, exercised: exercised >= Math.ceil(runs * minShare) }).toEqual({
      property: name,
      exercised: true,
    });
  }
}

/** assertProperty for a predicate that awaits (an engine turn, a stream): runs one value at a time. */
export async function assertAsyncProperty<T>(
  name: string,
  defaultRuns: number,
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<boolean | void>,
  minShare = 0.02,
): Promise<void> {
  const parameters = fuzzParameters<[T]>(name, defaultRuns);
  let exercised = 0;
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (value) => {
      runs++;
      if ((await predicate(value)) === true) exercised++;
    }),
    parameters,
  );
  if (VERBOSE) process.stdout.write(`[fuzz] ${name}: ${exercised}/${runs} exercised\n`);
  if (runs >= 50) {
    expect({ property: name, exercised: exercised >= Math.ceil(runs * minShare) }).toEqual({
      property: name,
      exercised: true,
    });
  }
}

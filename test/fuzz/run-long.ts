import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';

/**
 * `npm run fuzz`: the fuzz suites of test/fuzz (issue 12, item 8) for a long run. `npm test` runs
 * them bounded and from a fixed seed; this runs every property FUZZ_RUNS times (default 5,000)
 * from FUZZ_SEED (default: a fresh random seed, printed first and last so a failure can be
 * replayed), each property stopping cleanly after FUZZ_TIMEOUT_MS (default 10 minutes).
 *
 *   npm run fuzz                               every property, 5,000 runs, a new seed
 *   FUZZ_RUNS=50000 npm run fuzz -- -t telegram  one family of properties, longer
 *   FUZZ_SEED=123456 npm run fuzz              replay a reported seed (same FUZZ_RUNS)
 *
 * Extra arguments go to jest. Exit code: jest's.
 */

const ROOT = path.resolve(__dirname, '../..');

function main(): Promise<number> {
  const seed = process.env.FUZZ_SEED ?? String(randomInt(1, 2 ** 31 - 1));
  const runs = process.env.FUZZ_RUNS ?? '5000';
  const timeout = process.env.FUZZ_TIMEOUT_MS ?? String(10 * 60 * 1000);
  const banner = `FUZZ_SEED=${seed} FUZZ_RUNS=${runs} FUZZ_TIMEOUT_MS=${timeout}`;
  process.stdout.write(`fuzz: ${banner}\n`);

  const jest = require.resolve('jest/bin/jest');
  const args = [jest, '--roots', '<rootDir>/test/fuzz', '--testTimeout', timeout, ...process.argv.slice(2)];
  // The fuzz suites run on the default backend, like `npm test`.
  const env = { ...process.env };
  delete env.MONGODB_URI;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...env,
        FUZZ_SEED: seed,
        FUZZ_RUNS: runs,
        FUZZ_TIMEOUT_MS: timeout,
        FUZZ_VERBOSE: process.env.FUZZ_VERBOSE ?? '1',
      },
    });
    child.on('exit', (code) => {
      process.stdout.write(`fuzz: ${code === 0 ? 'passed' : 'FAILED'} with ${banner}\n`);
      resolve(code ?? 1);
    });
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz runner failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logging/logger';
import { provisionMongo, type ProvisionedMongo } from './mongo/provision';

/**
 * `npm test`: every suite but the MongoDB ones, on the default backend (SQLite temp files, nothing
 * to install or start). `npm run test:mongo` (`--mongo`): only the `*.mongo.test.ts` suites (the
 * storage contract on MongoDB and the Mongo-specific tests), on a mongod from MONGODB_URI,
 * MONGOD_BIN or mongodb-memory-server's download, with the TTL monitor running every second.
 *
 * Before the last line the runner names every suite (and every skipped test) it did not run, and
 * why; the last line is always `N passed, N failed`, from jest's JSON results. A suite that could
 * not run at all (an import or set-up error) counts as one failed test, so `0 failed` always means
 * that nothing failed.
 */

const ROOT = path.resolve(__dirname, '../..');
const TEST_ROOT = path.join(ROOT, 'test');
const MONGO_SUITE = /\.mongo\.test\.ts$/;
const MONGO_SUITE_PATTERN = '\\.mongo\\.test\\.ts$';
const MONGO_SUITE_GLOB = '**/*.mongo.test.ts';
const HOW_TO_RUN_MONGO = 'run `npm run test:mongo` with MONGODB_URI or MONGOD_BIN';

interface SuiteResult {
  readonly name: string;
  readonly status: string;
  readonly message?: string;
  readonly assertionResults?: readonly { readonly status: string; readonly fullName: string }[];
}

interface JestResults {
  readonly numPassedTests?: number;
  readonly numFailedTests?: number;
  readonly testResults?: readonly SuiteResult[];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const mongoMode = args.includes('--mongo');
  const jestArgs = args.filter((arg) => arg !== '--mongo');
  const allSuites = await listSuites(TEST_ROOT);

  if (!mongoMode) {
    // MONGODB_URI selects the MongoDB backend in the app: `npm test` is the default backend's run.
    const env = withoutVariable(process.env, 'MONGODB_URI');
    const { code, results } = await runJest(
      [...jestArgs, '--testPathIgnorePatterns', MONGO_SUITE_PATTERN, '/node_modules/'],
      env,
    );
    report(allSuites, results, (suite) =>
      MONGO_SUITE.test(suite) ? `MongoDB backend; ${HOW_TO_RUN_MONGO}` : undefined,
    );
    return code;
  }

  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  let mongo: ProvisionedMongo;
  try {
    mongo = await provisionMongo({
      uri: process.env.MONGODB_URI,
      mongodBin: process.env.MONGOD_BIN,
      ttlMonitorSleepSecs: 1,
      logger,
    });
  } catch (error) {
    process.stdout.write(`${(error as Error).message}\n`);
    report(allSuites, {}, (suite) =>
      MONGO_SUITE.test(suite)
        ? `no MongoDB could be had (see above); ${HOW_TO_RUN_MONGO}`
        : 'not a MongoDB suite; `npm test` runs it',
    );
    return 1;
  }
  process.stdout.write(`MongoDB for tests: ${mongo.source}\n`);
  try {
    const { code, results } = await runJest([...jestArgs, '--testMatch', MONGO_SUITE_GLOB], {
      ...process.env,
      MONGODB_URI: mongo.uri,
    });
    report(allSuites, results, (suite) =>
      MONGO_SUITE.test(suite) ? undefined : 'not a MongoDB suite; `npm test` runs it',
    );
    return code;
  } finally {
    await mongo.stop();
  }
}

function withoutVariable(env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy[name];
  return copy;
}

/** Every file jest's testMatch (`**\/*.test.ts` under test/) would find, relative to the root. */
async function listSuites(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function runJest(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; results: JestResults }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jest-results-'));
  const resultsFile = path.join(dir, 'results.json');
  const jest = require.resolve('jest/bin/jest');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [jest, ...args, '--json', '--outputFile', resultsFile], {
      cwd: ROOT,
      stdio: 'inherit',
      env,
    });
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  const text = await fs.readFile(resultsFile, 'utf8').catch(() => '{}');
  await fs.rm(dir, { recursive: true, force: true });
  return { code, results: JSON.parse(text) as JestResults };
}

/**
 * Names what did not run and why, then the totals. `excluded` gives the runner's own reason for
 * leaving a suite out, or undefined for a suite this run meant to run.
 */
function report(
  allSuites: readonly string[],
  results: JestResults,
  excluded: (suite: string) => string | undefined,
): void {
  const lines: string[] = [];
  const ran = new Map((results.testResults ?? []).map((suite) => [path.relative(ROOT, suite.name), suite]));
  let crashed = 0;
  for (const suite of allSuites) {
    const result = ran.get(suite);
    const reason = excluded(suite);
    if (reason) lines.push(`not run: ${suite} (${reason})`);
    else if (!result) lines.push(`not run: ${suite} (not selected by the jest arguments given)`);
    else if (result.status === 'failed' && (result.assertionResults ?? []).length === 0) {
      crashed += 1;
      lines.push(`not run: ${suite} (the suite failed to run: ${firstLine(result.message)})`);
    }
    for (const test of result?.assertionResults ?? []) {
      if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') {
        lines.push(`not run: ${suite} › ${test.fullName} (${test.status})`);
      }
    }
  }
  const passed = results.numPassedTests ?? 0;
  const failed = (results.numFailedTests ?? 0) + crashed;
  process.stdout.write(`\n${lines.map((line) => `${line}\n`).join('')}${passed} passed, ${failed} failed\n`);
}

function firstLine(message: string | undefined): string {
  // jest's failure messages carry ANSI colours and start with a blank line or the suite name.
  // eslint-disable-next-line no-control-regex
  const plain = (message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  return (
    plain
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('●')) ?? 'no message'
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test runner failed: ${(error as Error).message}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);

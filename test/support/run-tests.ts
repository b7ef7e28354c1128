import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logging/logger';
import { provisionMongo, type ProvisionedMongo } from '../../src/storage/mongo/provision';

/**
 * `npm test`: provision one real mongod for the whole run (TTL monitor every second), run jest
 * with its URI, stop it. Tests that need MongoDB are named *.db.test.ts. When no mongod can be
 * had, they cannot run: say so loudly, run the rest, and fail only if REQUIRE_MONGODB=true.
 */
async function main(): Promise<number> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  let mongo: ProvisionedMongo | undefined;
  let missing: string | undefined;
  try {
    mongo = await provisionMongo({
      uri: process.env.MONGODB_URI,
      mongodBin: process.env.MONGOD_BIN,
      ttlMonitorSleepSecs: 1,
      logger,
    });
    process.stdout.write(`MongoDB for tests: ${mongo.source}\n`);
  } catch (error) {
    missing = (error as Error).message;
  }

  const jestArgs = process.argv.slice(2);
  if (!mongo) {
    banner(missing ?? 'unknown reason');
    if (process.env.REQUIRE_MONGODB === 'true') return 1;
    jestArgs.push('--testPathIgnorePatterns', '\\.db\\.test\\.ts$');
  }
  const resultsFile = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'jest-')), 'results.json');
  const code = await runJest([...jestArgs, '--json', '--outputFile', resultsFile], mongo?.uri);
  await mongo?.stop();
  await summarise(resultsFile, Boolean(mongo));
  if (!mongo) banner(missing ?? 'unknown reason');
  return code;
}

function runJest(args: string[], mongoUri: string | undefined): Promise<number> {
  const jest = require.resolve('jest/bin/jest');
  const env = { ...process.env, ...(mongoUri ? { MONGODB_URI: mongoUri } : {}) };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [jest, ...args], { stdio: 'inherit', env });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function summarise(resultsFile: string, withDatabase: boolean): Promise<void> {
  const results = JSON.parse(await fs.readFile(resultsFile, 'utf8').catch(() => '{}')) as {
    numPassedTests?: number;
    numFailedTests?: number;
  };
  const scope = withDatabase ? 'all suites' : 'suites without MongoDB only';
  process.stdout.write(
    `\n${scope}:\n${results.numPassedTests ?? 0} passed, ${results.numFailedTests ?? 0} failed\n`,
  );
}

function banner(reason: string): void {
  const line = '!'.repeat(78);
  process.stdout.write(
    `\n${line}\n!!! NO MONGODB: the *.db.test.ts suites (integration, e2e, storage) DID NOT RUN.\n` +
      `!!! Set MONGODB_URI or MONGOD_BIN, or put mongod on PATH. ${reason}\n${line}\n\n`,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test runner failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);

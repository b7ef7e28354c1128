import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPrivacyCli } from '../../src/cli/privacy';
import { type CliResult, runCli } from './run-cli';
import { TEST_PEPPER, type TestApp, startTestApp } from './test-app';

export interface BotWithOperatorOptions {
  /** Variables both the bot and the CLI see, besides the data directory, pepper and master key. */
  readonly env?: Record<string, string>;
  /** The clock of the bot and of the CLI, so that what the operator records is ordered with turns. */
  readonly clock?: () => Date;
}

/**
 * The bot and the operator's `npm run privacy` on the same SQLite files, as in a deployment (each
 * with its own connection), fresh for every test: call at the top of a test file. The data
 * directory holds the files, and the pepper and master key both processes are given.
 */
export function botWithOperatorPerTest(options: BotWithOperatorOptions = {}) {
  let harness: TestApp | undefined;
  let env: Record<string, string> | undefined;
  const extras = options.clock ? { clock: options.clock } : {};

  beforeEach(async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bot-with-operator-'));
    env = {
      DATA_DIR: dataDir,
      SUBJECT_ID_PEPPER: TEST_PEPPER,
      LOCAL_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
      ...options.env,
    };
    harness = await startTestApp(env, undefined, extras);
  });

  afterEach(async () => {
    await harness?.db.drop();
    if (env) await fs.rm(env.DATA_DIR!, { recursive: true, force: true });
    harness = undefined;
    env = undefined;
  });

  const current = (): { harness: TestApp; env: Record<string, string> } => {
    if (!harness || !env) throw new Error('no test app: call botWithOperatorPerTest at the top of the file');
    return { harness, env };
  };

  return {
    /** The running bot. */
    get app(): TestApp {
      return current().harness;
    },
    /** What both processes were started with (`DATA_DIR` included). */
    get env(): Record<string, string> {
      return current().env;
    },
    /** `npm run privacy -- <argv>` on the bot's files, at the shared clock. */
    privacy(argv: readonly string[]): Promise<CliResult> {
      const { harness: bot, env: botEnv } = current();
      const cliEnv = { ...botEnv, DATABASE_PATH: bot.db.path, DATA_KEYS_PATH: bot.db.keysPath };
      const clock = options.clock;
      return runCli((args, deps) => runPrivacyCli(args, clock ? { ...deps, clock } : deps), argv, cliEnv);
    },
    /** A new bot process on the same files, as after a restart. */
    async restart(): Promise<TestApp> {
      const { harness: bot, env: botEnv } = current();
      harness = await startTestApp(botEnv, bot.db, extras);
      return harness;
    },
  };
}

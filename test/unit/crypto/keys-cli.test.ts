import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { USAGE, runKeysCli } from '../../../src/cli/keys';
import { expectUsageError, runCli } from '../../support/run-cli';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(runKeysCli, argv, env);
}

describe('npm run keys', () => {
  it('prints usage for --help and exits 0', async () => {
    const result = await run(['--help']);
    expect(result).toMatchObject({ code: 0, stdout: USAGE, stderr: '' });
    expect(USAGE).toContain('rotate');
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command: frobnicate'],
    [['rotate', 'extra'], 'unexpected argument: extra'],
    [['rotate', '--batch-size', '0'], '--batch-size must be a positive integer'],
    [['rotate', '--no-such-option'], "Unknown option '--no-such-option'"],
  ])('%j → usage on stderr, exit 2', async (argv, message) => {
    expectUsageError(await run(argv), message, USAGE);
  });

  it('names the bot database files when they are missing, and creates nothing', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keys-cli-'));
    try {
      const result = await run(['rotate'], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^keys: CONFIG_INVALID: DATABASE_PATH \(.*bot\.sqlite\), DATA_KEYS_PATH \(.*bot\.keys\.sqlite\): no such file/,
      );
      expect(result.stdout).toBe('');
      // No empty database to "rotate", and no local master key file was created.
      expect(await fs.readdir(dataDir)).toEqual([]);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('names the bad variable when the configuration is invalid', async () => {
    const result = await run(['rotate'], { KEY_PROVIDER: 'aws' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KMS_KEY_ID');
  });

  it('reports an unreachable database as STORAGE_UNAVAILABLE with exit 1', async () => {
    const result = await run(['rotate'], {
      MONGODB_URI: 'mongodb://127.0.0.1:1/keys',
      LOCAL_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('STORAGE_UNAVAILABLE');
  });
});

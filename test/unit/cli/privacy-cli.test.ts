import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import pino from 'pino';
import { USAGE, runPrivacyCli } from '../../../src/cli/privacy';
import { exportFileSchema } from '../../../src/privacy/rights/export-format';
import { registerModels } from '../../../src/storage/mongo/stores';
import { openSqliteBackend } from '../../../src/storage/sqlite/backend';
import { expectUsageError, runCli } from '../../support/run-cli';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(runPrivacyCli, argv, env);
}

describe('npm run privacy (no database)', () => {
  it.each([[['--help']], [['-h']], [['export', '--help']]])('%j prints usage and exits 0', async (argv) => {
    const result = await run(argv);
    expect(result).toMatchObject({ code: 0, stdout: USAGE, stderr: '' });
    for (const command of ['requests', 'export', 'erase', 'datamap', 'schema', 'backup <destination>'])
      expect(USAGE).toContain(command);
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command: frobnicate'],
    [['requests', 'extra'], 'unexpected argument: extra'],
    [['requests', '--limit', '0'], '--limit must be a positive integer'],
    [['requests', '--user', 'console:ana'], 'requests does not take --user'],
    [['datamap', '--yes'], 'datamap does not take --yes'],
    [['export'], '--user <channel:userId> is required'],
    [['erase', '--no-such-option'], "Unknown option '--no-such-option'"],
    [['backup'], 'backup needs <destination>'],
    [['backup', ''], 'backup needs <destination>'],
    [['backup', 'a.sqlite', 'b.sqlite'], 'unexpected argument: b.sqlite'],
    [['backup', 'a.sqlite', '--json'], 'backup does not take --json'],
  ])('%j → usage on stderr, exit 2', async (argv, message) => {
    expectUsageError(await run(argv), message, USAGE);
  });

  it.each([['ana'], ['console:'], ['whatsapp:ana.secret'], [':ana.secret'], ['']])(
    'rejects --user %j with exit 2 and does not repeat the id',
    async (user) => {
      for (const command of ['export', 'erase']) {
        const result = await run([command, '--user', user]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('--user must be <channel:userId>');
        expect(result.stderr).toContain('console, telegram, discord, teams');
        expect(result.stderr).not.toContain('ana');
      }
    },
  );

  it('datamap prints a block for every collection the models register', async () => {
    const connection = mongoose.createConnection();
    registerModels(connection);
    const collections = Object.values(connection.models).map((model) => model.collection.collectionName);
    await connection.close();

    const result = await run(['datamap'], { PRIVACY_CONTACT: 'dpo@example.org' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('GDPR Art. 30');
    expect(result.stdout).toContain('dpo@example.org');
    for (const collection of collections) expect(result.stdout).toMatch(new RegExp(`^${collection}: `, 'm'));
    expect(result.stdout).toContain('until erasure (crypto-shredding)');
    expect(result.stdout).toContain('30 days after each message');
  });

  it('datamap --json is the table as JSON', async () => {
    const result = await run(['datamap', '--json'], { RETENTION_PROFILE_DAYS: '90' });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ collection: string; retentionMs: number | null }>;
    expect(rows.find((row) => row.collection === 'profiles')?.retentionMs).toBe(90 * 24 * 60 * 60 * 1000);
  });

  it('schema prints the export JSON Schema', async () => {
    const result = await run(['schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(schema.$id).toMatch(/export-v2\.json$/);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object)).toEqual(Object.keys(exportFileSchema.shape));
  });

  it.each([
    [['requests']],
    [['export', '--user', 'console:ana']],
    [['erase', '--user', 'console:ana', '--yes']],
    [['backup', 'copy.sqlite']],
  ])("%j without the bot's database files names them, exits 1 and creates nothing", async (argv) => {
    await inTempDir(async (dataDir) => {
      const result = await run(argv, { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^privacy: CONFIG_INVALID: DATABASE_PATH \(.*bot\.sqlite\), DATA_KEYS_PATH \(.*bot\.keys\.sqlite\): no such file/,
      );
      expect(result.stderr).toContain('never creates one');
      expect(result.stdout).toBe('');
      // No database, no pepper, no master key, no backup file was created.
      expect(await fs.readdir(dataDir)).toEqual([]);
    });
  });

  it('names the missing key file when only the data file is there', async () => {
    await inTempDir(async (dataDir) => {
      await fs.writeFile(path.join(dataDir, 'bot.sqlite'), '');
      const result = await run(['requests'], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/CONFIG_INVALID: DATA_KEYS_PATH \(.*bot\.keys\.sqlite\): no such file/);
      expect(result.stderr).not.toContain('DATABASE_PATH (');
    });
  });

  it('refuses an in-memory database: it would be a new, empty one', async () => {
    const result = await run(['requests'], { DATABASE_PATH: ':memory:' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_PATH: :memory: is a database of its own');
  });

  it('refuses to run on a DATA_DIR without the bot pepper and master key (they would be new ones)', async () => {
    await inTempDir(async (dataDir) => {
      await createBotDatabase(dataDir);
      const result = await run(['erase', '--user', 'console:ana', '--yes'], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('SUBJECT_ID_PEPPER, LOCAL_MASTER_KEY');
      expect((await fs.readdir(dataDir)).sort()).toEqual(['bot.keys.sqlite', 'bot.sqlite']);
    });
  });

  it('checks the secrets on MongoDB too, before connecting', async () => {
    await inTempDir(async (dataDir) => {
      const result = await run(['erase', '--user', 'console:ana', '--yes'], {
        DATA_DIR: dataDir,
        MONGODB_URI: 'mongodb://127.0.0.1:1/privacy',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('SUBJECT_ID_PEPPER, LOCAL_MASTER_KEY');
      expect(await fs.readdir(dataDir)).toEqual([]);
    });
  });

  it('export --out refuses an existing file and leaves it as it was', async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'export.json');
      await fs.writeFile(out, 'keep me');
      const result = await run(['export', '--user', 'console:ana', '--out', out], { DATA_DIR: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('--out: the file exists; refusing to overwrite it');
      expect(await fs.readFile(out, 'utf8')).toBe('keep me');
    });
  });

  it.each([
    ['the database files are missing', {}, 'CONFIG_INVALID'],
    ['MongoDB is unreachable', { MONGODB_URI: 'mongodb://127.0.0.1:1/privacy' }, 'STORAGE_UNAVAILABLE'],
  ])('export removes its half-created --out file when %s', async (_case, extraEnv, code) => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'export.json');
      const result = await run(['export', '--user', 'console:ana', '--out', out], {
        SUBJECT_ID_PEPPER: 'p'.repeat(32),
        LOCAL_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
        DATA_DIR: dir,
        ...extraEnv,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(code);
      expect(await fs.readdir(dir)).toEqual([]);
    });
  });
});

async function inTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-cli-'));
  try {
    await run(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The two files `npm start` creates in DATA_DIR, empty of data. */
async function createBotDatabase(dataDir: string): Promise<void> {
  const backend = openSqliteBackend({
    path: path.join(dataDir, 'bot.sqlite'),
    keysPath: path.join(dataDir, 'bot.keys.sqlite'),
    logger: pino({ level: 'silent' }),
  });
  await backend.close();
}

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { USAGE, runPrivacyCli } from '../../../src/cli/privacy';
import { exportFileSchema } from '../../../src/privacy/rights/export-format';
import { registerModels } from '../../../src/storage/mongo/stores';
import { runCli } from '../../support/run-cli';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(runPrivacyCli, argv, env);
}

describe('npm run privacy (no database)', () => {
  it.each([[['--help']], [['-h']], [['export', '--help']]])('%j prints usage and exits 0', async (argv) => {
    const result = await run(argv);
    expect(result).toMatchObject({ code: 0, stdout: USAGE, stderr: '' });
    for (const command of ['requests', 'export', 'erase', 'datamap', 'schema'])
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
  ])('%j → usage on stderr, exit 2', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(USAGE);
    expect(result.stdout).toBe('');
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
    expect(schema.$id).toMatch(/export-v1\.json$/);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object)).toEqual(Object.keys(exportFileSchema.shape));
  });

  it.each([['requests'], ['export', '--user', 'console:ana'], ['erase', '--user', 'console:ana', '--yes']])(
    '%s without MONGODB_URI names it, exits 1 and creates nothing',
    async (...argv) => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-cli-'));
      try {
        const result = await run(argv, { DATA_DIR: dataDir });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^privacy: CONFIG_INVALID: MONGODB_URI: required/);
        expect(result.stdout).toBe('');
        expect(await fs.readdir(dataDir)).toEqual([]); // no pepper, no master key was created
      } finally {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('refuses to run on a DATA_DIR without the bot pepper and master key (they would be new ones)', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-cli-'));
    try {
      const result = await run(['erase', '--user', 'console:ana', '--yes'], {
        DATA_DIR: dataDir,
        MONGODB_URI: 'mongodb://127.0.0.1:1/privacy',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('SUBJECT_ID_PEPPER, LOCAL_MASTER_KEY');
      expect(await fs.readdir(dataDir)).toEqual([]);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('export --out refuses an existing file and leaves it as it was', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-cli-'));
    const out = path.join(dir, 'export.json');
    try {
      await fs.writeFile(out, 'keep me');
      const result = await run(['export', '--user', 'console:ana', '--out', out], {
        MONGODB_URI: 'mongodb://127.0.0.1:1/privacy',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('refusing to overwrite');
      expect(await fs.readFile(out, 'utf8')).toBe('keep me');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('export removes its half-created --out file when the database is unreachable', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-cli-'));
    const out = path.join(dir, 'export.json');
    try {
      const result = await run(['export', '--user', 'console:ana', '--out', out], {
        MONGODB_URI: 'mongodb://127.0.0.1:1/privacy',
        SUBJECT_ID_PEPPER: 'p'.repeat(32),
        LOCAL_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
        DATA_DIR: dir,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('STORAGE_UNAVAILABLE');
      expect(await fs.readdir(dir)).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

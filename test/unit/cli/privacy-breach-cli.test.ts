import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { USAGE, runPrivacyCli } from '../../../src/cli/privacy';
import { parseCommandLine } from '../../../src/cli/privacy/command-line';
import { BREACH_KINDS } from '../../../src/privacy/breach';
import { expectUsageError, runCli } from '../../support/run-cli';

/** `breach record`, `breach list` and `purge-all` on the command line (no database needed). */

const NOW = new Date('2041-03-01T12:00:00.000Z');
const RECORD = ['breach', 'record', '--what', 'other', '--when', '2041-03-01', '--affected', 'all'];

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli((args, deps) => runPrivacyCli(args, { ...deps, clock: () => NOW }), argv, env);
}

describe('npm run privacy -- breach / purge-all: the command line', () => {
  it('documents the commands in the usage', () => {
    for (const text of ['breach record', 'breach list', 'purge-all', '--affected all|<file>', '72'])
      expect(USAGE.replace(/\s+/g, ' ')).toContain(text === '72' ? 'Art. 33(5)' : text);
    for (const kind of Object.keys(BREACH_KINDS)) expect(USAGE).toContain(kind);
  });

  it('parses a record, a list and a purge', () => {
    expect(
      parseCommandLine(
        [
          'breach',
          'record',
          '--what',
          'keys-exposed',
          '--when',
          '2041-02-28T23:30-02:00',
          '--affected',
          'all',
        ],
        NOW,
      ),
    ).toEqual({
      name: 'breach-record',
      what: 'keys-exposed',
      occurredAt: new Date('2041-03-01T01:30:00.000Z'),
      affected: 'all',
      yes: false,
    });
    expect(
      parseCommandLine(
        [
          'breach',
          'record',
          '--what',
          '  A laptop was stolen.  ',
          '--when',
          '2041-02-01',
          '--affected',
          'a.txt',
          '--yes',
        ],
        NOW,
      ),
    ).toEqual({
      name: 'breach-record',
      what: 'A laptop was stolen.',
      occurredAt: new Date('2041-02-01T00:00:00.000Z'),
      affected: { file: 'a.txt' },
      yes: true,
    });
    expect(parseCommandLine(['breach', 'list', '--json'], NOW)).toEqual({ name: 'breach-list', json: true });
    expect(parseCommandLine(['purge-all'], NOW)).toEqual({ name: 'purge-all', yes: false });
    expect(parseCommandLine(['purge-all', '--yes'], NOW)).toEqual({ name: 'purge-all', yes: true });
  });

  it.each([
    [['breach'], 'breach needs a sub-command: record or list'],
    [['breach', 'delete'], 'breach needs a sub-command: record or list'],
    [['breach', 'list', 'extra'], 'unexpected argument: extra'],
    [['breach', 'list', '--yes'], 'breach list does not take --yes'],
    [['breach', 'record', '--when', '2041-03-01', '--affected', 'all'], '--what is required'],
    [['breach', 'record', '--what', 'other', '--affected', 'all'], '--when is required'],
    [['breach', 'record', '--what', 'other', '--when', '2041-03-01'], '--affected is required'],
    [[...RECORD.slice(0, 4), '--when', 'yesterday', '--affected', 'all'], '--when must be an ISO 8601 date'],
    [
      [...RECORD.slice(0, 4), '--when', '2041-03-01T10:00', '--affected', 'all'],
      '--when must be an ISO 8601',
    ],
    [[...RECORD.slice(0, 4), '--when', '2041-02-30', '--affected', 'all'], '--when must be an ISO 8601'],
    [
      [...RECORD.slice(0, 4), '--when', '2041-03-01T12:00:01Z', '--affected', 'all'],
      '--when is in the future',
    ],
    [['breach', 'record', '--what', ' ', '--when', '2041-03-01', '--affected', 'all'], '--what is empty'],
    [
      ['breach', 'record', '--what', 'x'.repeat(201), '--when', '2041-03-01', '--affected', 'all'],
      'at most 200',
    ],
    [['breach', 'record', '--what', 'two\nlines', '--when', '2041-03-01', '--affected', 'all'], 'one line'],
    [[...RECORD.slice(0, 6), '--affected', ''], '--affected needs a file name, or all'],
    [[...RECORD, '--user', 'console:ana'], 'breach record does not take --user'],
    [['purge-all', '--json'], 'purge-all does not take --json'],
    [['purge-all', 'now'], 'unexpected argument: now'],
  ])('%j → usage on stderr, exit 2', async (argv, message) => {
    expectUsageError(await run(argv), message, USAGE);
  });

  it.each([[RECORD], [['breach', 'list']], [['purge-all']], [['purge-all', '--yes']]])(
    "%j without the bot's database files names them, exits 1 and creates nothing",
    async (argv) => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'privacy-breach-cli-'));
      try {
        const result = await run(argv, { DATA_DIR: dataDir });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/CONFIG_INVALID: DATABASE_PATH \(.*bot\.sqlite\), DATA_KEYS_PATH/);
        expect(await fs.readdir(dataDir)).toEqual([]);
      } finally {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});

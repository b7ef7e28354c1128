import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../config/config';
import { createKeyProvider } from '../crypto/create-key-provider';
import { DataKeyService } from '../crypto/data-key-service';
import { KeyCache } from '../crypto/key-cache';
import type { RotationSummary } from '../crypto/key-rotation';
import { readMasterKeyFile } from '../crypto/local-master-key';
import { createLogger } from '../logging/logger';
import type { StorageBackend } from '../storage/backend';
import { openStorage } from '../storage/open-storage';
import { type OperatorCliDeps, reportCommandError, reportUsageError, streamsOf } from './cli-io';
import { requireBotStorage } from './operator-storage';
import { positiveInt } from './positive-int';

export const USAGE = `Usage: npm run keys -- <command> [options]

Commands:
  rotate    Re-wrap every subject's data key under the current master key: KMS_KEY_ID when
            KEY_PROVIDER=aws, the local master key otherwise. Keys already on it are skipped,
            so running it again finishes an interrupted rotation. Stored data is not touched.

Options:
  --previous-key-file <path>  KEY_PROVIDER=local: a retired master key file (mode 0600) that
                              wrapped existing keys. Repeat for several.
  --batch-size <n>            Records per database round trip (default 100).
  --concurrency <n>           KMS calls in flight at once (default 4).
  -h, --help                  Show this help.

Environment: the bot's own. Its wrapped data keys: the SQLite key file DATA_KEYS_PATH (default
DATA_DIR/bot.keys.sqlite, beside DATABASE_PATH; both must exist), or MONGODB_URI when the bot
runs on MongoDB. KEY_PROVIDER, KMS_KEY_ID, KMS_ENDPOINT, LOCAL_MASTER_KEY, DATA_DIR, LOG_LEVEL.
AWS credentials and region come from the AWS SDK chain.

Exit codes: 0 done; 1 error, or some keys could not be rotated (rerun); 2 usage error.
`;

export type KeysCliDeps = OperatorCliDeps;

/** Runs one command and returns the process exit code (never calls process.exit, so it is testable). */
export async function runKeysCli(argv: readonly string[], deps: KeysCliDeps = {}): Promise<number> {
  const { stdout, stderr } = streamsOf(deps);

  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    return reportUsageError(stderr, error, USAGE);
  }
  if (parsed.help) {
    stdout.write(USAGE);
    return 0;
  }

  try {
    const summary = await rotate(parsed, deps, stderr);
    stdout.write(formatSummary(summary));
    return summary.failed > 0 || summary.aborted ? 1 : 0;
  } catch (error) {
    return reportCommandError(stderr, 'keys', error);
  }
}

interface CommandLine {
  readonly help: boolean;
  readonly previousKeyFiles: readonly string[];
  readonly batchSize: number;
  readonly concurrency: number;
}

function parseCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      'previous-key-file': { type: 'string', multiple: true, default: [] },
      'batch-size': { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  if (values.help) return { help: true, previousKeyFiles: [], batchSize: 0, concurrency: 0 };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new Error('missing command');
  if (command !== 'rotate') throw new Error(`unknown command: ${command}`);
  if (rest.length > 0) throw new Error(`unexpected argument: ${rest.join(' ')}`);
  return {
    help: false,
    previousKeyFiles: values['previous-key-file'],
    batchSize: positiveInt('--batch-size', values['batch-size']),
    concurrency: positiveInt('--concurrency', values.concurrency),
  };
}

async function rotate(commandLine: CommandLine, deps: KeysCliDeps, stderr: NodeJS.WritableStream) {
  const config = loadConfig(deps.env ?? process.env);
  // Unlike `npm start`, never create a database: rotating an empty new key file would report
  // success while the real keys stay on the old master key.
  await requireBotStorage(config, 'npm run keys');
  const logger = deps.logger ?? createLogger(config.logLevel);

  const previousLocalMasterKeys = await Promise.all(commandLine.previousKeyFiles.map(readMasterKeyFile));
  const provider = await createKeyProvider(config, logger, {
    ...deps.keyProviderOptions,
    previousLocalMasterKeys,
  });
  previousLocalMasterKeys.forEach((key) => key.fill(0));

  let storage: StorageBackend;
  try {
    storage = await openStorage(config, logger);
  } catch (error) {
    provider.close?.();
    throw error;
  }
  const dataKeys = new DataKeyService({
    store: storage.dataKeys,
    provider,
    // Rotation never unwraps into the cache, but the service wants one.
    cache: new KeyCache({ maxEntries: 1, maxAgeMs: 1, maxUses: 1 }),
    logger,
  });
  const bar = new SingleBar(
    {
      stream: stderr,
      format:
        'rotating data keys |{bar}| {value}/{total}  rotated {rotated}  skipped {skipped}  failed {failed}',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(0, 0, { rotated: 0, skipped: 0, failed: 0 });
  try {
    return await dataKeys.rotateAll({
      batchSize: commandLine.batchSize,
      concurrency: commandLine.concurrency,
      onProgress: (progress) => {
        bar.setTotal(progress.total);
        bar.update(progress.processed, progress);
      },
    });
  } finally {
    bar.stop();
    dataKeys.close();
    await storage.close();
  }
}

function formatSummary(summary: RotationSummary): string {
  const lines = [
    `data keys: ${summary.total}`,
    `rotated:   ${summary.rotated}`,
    `skipped:   ${summary.skipped} (already on the current master key, or changed meanwhile)`,
    `failed:    ${summary.failed}`,
  ];
  if (summary.aborted)
    lines.push('stopped early: KMS kept failing. Fix it and run `npm run keys -- rotate` again.');
  else if (summary.failed > 0)
    lines.push('some keys failed (see the log); run `npm run keys -- rotate` again.');
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  void runKeysCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

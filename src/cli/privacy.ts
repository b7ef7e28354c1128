import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type App, createApp } from '../app';
import { type AppConfig, loadConfig } from '../config/config';
import { AppError, ConfigError, errorCode } from '../core/errors';
import type { ChannelName } from '../core/messages';
import type { CreateKeyProviderOptions } from '../crypto/create-key-provider';
import { LOCAL_MASTER_KEY_FILE } from '../crypto/local-master-key';
import { type Logger, createLogger } from '../logging/logger';
import { type ProcessingRecord, recordsOfProcessing } from '../privacy/records-of-processing';
import type { StreamedExport } from '../privacy/rights/data-rights';
import type { ErasureReport } from '../privacy/rights/erasure';
import { exportJsonSchema } from '../privacy/rights/export-format';
import type { RightsRequest } from '../storage/ports';
import { openDatabase } from '../storage/mongo/connection';
import { registerModels } from '../storage/mongo/stores';

export const USAGE = `Usage: npm run privacy -- <command> [options]

Data-subject requests that arrive by e-mail, letter or phone, answered from the bot's database.
Each export and erasure is recorded in the rights-request ledger with origin "operator".

Commands:
  requests                       List rights requests, oldest first.
    --overdue                    Only those not completed and past their due date.
    --limit <n>                  At most n requests (default 1000).
    --json                       One JSON array instead of the table.
  export --user <channel:userId> Export everything stored about one person (the /export file).
    --out <file>                 Write it to a new file (mode 0600; an existing file is never
                                 overwritten). Without --out it goes to stdout.
  erase --user <channel:userId>  Show what would be erased about one person.
    --yes                        Erase it: crypto-shred the data key, delete every document.
  datamap                        The records of processing (GDPR Art. 30): every collection, its
                                 fields, purpose, legal basis, retention and protection.
    --json                       As JSON.
  schema                         The JSON Schema of the export file (docs/export-format.schema.json).

  <channel> is console, telegram, discord or teams; <userId> is the person's id on that platform
  (Telegram user id, Discord user id, Teams AAD object id, terminal user name).

Options:
  -h, --help                     Show this help.

Environment: MONGODB_URI (required except for datamap and schema: the bot's database),
SUBJECT_ID_PEPPER, DATA_DIR, KEY_PROVIDER, KMS_KEY_ID, LOCAL_MASTER_KEY, RETENTION_*,
RIGHTS_REQUEST_DUE_DAYS, LOG_LEVEL (default warn for this tool).

Exit codes: 0 done; 1 error; 2 usage error, or erase without --yes.
`;

export interface PrivacyCliDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly logger?: Logger;
  /** Tests point the AWS provider at the KMS double with static credentials. */
  readonly keyProviderOptions?: CreateKeyProviderOptions;
  readonly clock?: () => Date;
}

/** A compile error here means ChannelName gained a channel the CLI does not accept yet. */
const CHANNELS: Record<ChannelName, true> = { console: true, telegram: true, discord: true, teams: true };
const DEFAULT_LIMIT = 1000;

interface UserRef {
  readonly channel: ChannelName;
  readonly userId: string;
}

type Command =
  | { readonly name: 'help' }
  | { readonly name: 'requests'; readonly overdue: boolean; readonly json: boolean; readonly limit: number }
  | { readonly name: 'export'; readonly user: UserRef; readonly out: string | undefined }
  | { readonly name: 'erase'; readonly user: UserRef; readonly yes: boolean }
  | { readonly name: 'datamap'; readonly json: boolean }
  | { readonly name: 'schema' };

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Runs one command and returns the process exit code (never calls process.exit, so it is testable). */
export async function runPrivacyCli(argv: readonly string[], deps: PrivacyCliDeps = {}): Promise<number> {
  const io: Io = { stdout: deps.stdout ?? process.stdout, stderr: deps.stderr ?? process.stderr };

  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  try {
    switch (command.name) {
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      case 'schema':
        io.stdout.write(`${JSON.stringify(exportJsonSchema(), null, 2)}\n`);
        return 0;
      case 'datamap': {
        const config = loadConfig(deps.env ?? process.env);
        const rows = recordsOfProcessing(config);
        io.stdout.write(command.json ? `${JSON.stringify(rows, null, 2)}\n` : formatDataMap(rows, config));
        return 0;
      }
      case 'requests':
        return await withApp(deps, (app) => listRequests(app, command, io, deps.clock));
      case 'export':
        return await exportPerson(command, deps, io);
      case 'erase':
        return await withApp(deps, (app) => erasePerson(app, command, io));
    }
  } catch (error) {
    // Our errors carry safe messages (variable names, operations); anything else only its code.
    const message = error instanceof AppError ? error.message : 'unexpected error';
    io.stderr.write(`privacy: ${errorCode(error)}: ${message}\n`);
    return 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Command line

/** Which options each command accepts; anything else is a usage error, not silently ignored. */
const ALLOWED: Record<Exclude<Command['name'], 'help'>, readonly string[]> = {
  requests: ['overdue', 'json', 'limit'],
  export: ['user', 'out'],
  erase: ['user', 'yes'],
  datamap: ['json'],
  schema: [],
};

function parseCommandLine(argv: readonly string[]): Command {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      overdue: { type: 'boolean' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
      user: { type: 'string' },
      out: { type: 'string' },
      yes: { type: 'boolean' },
    },
  });
  if (values.help) return { name: 'help' };
  const [name, ...rest] = positionals;
  if (name === undefined) throw new Error('missing command');
  if (!Object.hasOwn(ALLOWED, name)) throw new Error(`unknown command: ${name}`);
  const commandName = name as keyof typeof ALLOWED;
  if (rest.length > 0) throw new Error(`unexpected argument: ${rest.join(' ')}`);
  const extra = Object.keys(values).filter((option) => !ALLOWED[commandName].includes(option));
  if (extra.length > 0) throw new Error(`${name} does not take --${extra.join(', --')}`);

  switch (commandName) {
    case 'requests':
      return {
        name: 'requests',
        overdue: values.overdue ?? false,
        json: values.json ?? false,
        limit: values.limit === undefined ? DEFAULT_LIMIT : positiveInt('--limit', values.limit),
      };
    case 'export':
      if (values.out === '') throw new Error('--out needs a file name');
      return { name: 'export', user: parseUser(values.user), out: values.out };
    case 'erase':
      return { name: 'erase', user: parseUser(values.user), yes: values.yes ?? false };
    case 'datamap':
      return { name: 'datamap', json: values.json ?? false };
    case 'schema':
      return { name: 'schema' };
  }
}

/**
 * `channel:userId`, split at the first colon (Teams ids contain colons). The value is a person's
 * platform id, so no message here repeats it.
 */
function parseUser(value: string | undefined): UserRef {
  if (value === undefined) throw new Error('--user <channel:userId> is required');
  const colon = value.indexOf(':');
  const channel = colon < 0 ? '' : value.slice(0, colon);
  const userId = colon < 0 ? '' : value.slice(colon + 1);
  if (!Object.hasOwn(CHANNELS, channel) || userId === '')
    throw new Error(
      `--user must be <channel:userId> with channel one of ${Object.keys(CHANNELS).join(', ')}`,
    );
  return { channel: channel as ChannelName, userId };
}

function positiveInt(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${option} must be a positive integer`);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Database commands

/**
 * The app (services.rights, services.subjectIds) on the bot's database, closed afterwards.
 * Never an embedded mongod: answering a request from an empty scratch database would report
 * "nothing stored" while the person's data stays where it is.
 */
async function withApp<T>(deps: PrivacyCliDeps, run: (app: App) => Promise<T>): Promise<T> {
  const env = deps.env ?? process.env;
  const config = loadConfig(env);
  const uri = config.mongo.uri;
  if (!uri)
    throw new ConfigError(
      'MONGODB_URI: required for `npm run privacy` (the bot database). The embedded database of ' +
        '`npm start` runs only while the bot runs, on a random port it does not log: point the bot ' +
        'and this tool at the same MONGODB_URI.',
    );
  await requireExistingSecrets(config);
  // Info logs would bury the one-line answers on stderr; LOG_LEVEL still wins when set.
  const logger = deps.logger ?? createLogger(env.LOG_LEVEL ? config.logLevel : 'warn');
  const db = await openDatabase(uri, logger, registerModels);
  try {
    const app = await createApp({
      config,
      logger,
      connection: db.connection,
      ...(deps.clock && { clock: deps.clock }),
      ...(deps.keyProviderOptions && { keyProviderOptions: deps.keyProviderOptions }),
    });
    try {
      return await run(app);
    } finally {
      app.close();
    }
  } finally {
    await db.close();
  }
}

/**
 * In development the pepper and the local master key are files the bot created in DATA_DIR.
 * createApp would create new ones when they are missing (the tool run from another directory):
 * every subject id would then match nobody, and an erasure would "succeed" on nothing.
 */
async function requireExistingSecrets(config: AppConfig): Promise<void> {
  const missing: string[] = [];
  // The file name loadPepper (src/privacy/subject-id.ts) uses.
  if (!config.privacy.pepper && !(await exists(path.join(config.dataDir, 'subject-pepper'))))
    missing.push('SUBJECT_ID_PEPPER');
  if (
    config.keys.provider === 'local' &&
    !config.keys.localMasterKey &&
    !(await exists(path.join(config.dataDir, LOCAL_MASTER_KEY_FILE)))
  )
    missing.push('LOCAL_MASTER_KEY');
  if (missing.length > 0)
    throw new ConfigError(
      `${missing.join(', ')}: not set, and the file the bot creates for it in development is not in ` +
        `${config.dataDir}; set DATA_DIR (or run from the bot's directory) or set the bot's values`,
    );
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file, fsConstants.F_OK).then(
    () => true,
    () => false,
  );
}

async function listRequests(
  app: App,
  command: Extract<Command, { name: 'requests' }>,
  io: Io,
  clock: (() => Date) | undefined,
): Promise<number> {
  const { rights, stores } = app.services;
  const now = (clock ?? (() => new Date()))();
  // One more than shown, to tell "exactly the limit" from "cut off at the limit".
  const found = command.overdue
    ? await rights.overdue(now)
    : await stores.rightsRequests.list({ limit: command.limit + 1 });
  const requests = found.slice(0, command.limit);
  if (command.json) io.stdout.write(`${JSON.stringify(requests, null, 2)}\n`);
  else io.stdout.write(formatRequests(requests, now));
  if (found.length > command.limit)
    io.stderr.write(`showing the first ${command.limit} (oldest first); raise --limit to see more\n`);
  return 0;
}

async function exportPerson(
  command: Extract<Command, { name: 'export' }>,
  deps: PrivacyCliDeps,
  io: Io,
): Promise<number> {
  // Claim the file before any work: an existing file fails here, and no request is recorded.
  const file = command.out === undefined ? undefined : await createPrivateFile(command.out);
  let written: StreamedExport;
  try {
    written = await withApp(deps, (app) => {
      const subjectId = app.services.subjectIds.of(command.user.channel, command.user.userId);
      const write = file
        ? (piece: string) => file.handle.write(piece).then(() => undefined)
        : writeTo(io.stdout);
      return app.services.rights.exportTo({ subjectId, origin: 'operator' }, write);
    });
    await file?.handle.close();
  } catch (error) {
    // Half an export is still personal data: do not leave it behind.
    if (file) {
      await file.handle.close().catch(() => undefined);
      await fs.rm(file.path, { force: true });
    }
    throw error;
  }
  const where = file ? file.path : 'stdout';
  io.stderr.write(
    `export ${written.requestId}: ${written.historyCount} history entries, ${written.bytes} bytes to ${where}\n`,
  );
  return 0;
}

async function createPrivateFile(out: string): Promise<{ path: string; handle: fs.FileHandle }> {
  const resolved = path.resolve(out);
  try {
    // 'wx': fail if it exists; 0600: the export is the person's data, for the operator's eyes only.
    return { path: resolved, handle: await fs.open(resolved, 'wx', 0o600) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ConfigError('--out: the file exists; refusing to overwrite it');
    throw new ConfigError(`--out: cannot create the file (${code ?? 'unknown error'})`);
  }
}

/** A writer that waits until the stream took each piece, so a slow pipe is not buffered whole. */
function writeTo(stream: NodeJS.WritableStream): (piece: string) => Promise<void> {
  return (piece) =>
    new Promise<void>((resolve, reject) => {
      stream.write(piece, (error) => (error ? reject(error) : resolve()));
    });
}

async function erasePerson(app: App, command: Extract<Command, { name: 'erase' }>, io: Io): Promise<number> {
  const { rights, subjectIds } = app.services;
  const subjectId = subjectIds.of(command.user.channel, command.user.userId);
  if (!command.yes) {
    // A preview is not a request: nothing is recorded until the operator confirms.
    const summary = await rights.summary(subjectId);
    io.stdout.write(
      [
        `subject ${short(subjectId)} (pseudonymous id)`,
        'would erase:',
        `  history entries:  ${summary.history.count}`,
        `  profile fields:   ${summary.profile ? Object.keys(summary.profile.fields).length : 0}`,
        `  consent state:    ${summary.subject ? 'yes' : 'none'}`,
        '  open dialog steps and the data key (crypto-shredded) as well',
        'kept as evidence until their retention ends:',
        `  consent ledger entries:  ${summary.consentLedger.length}`,
        `  rights requests:         ${summary.requests.length}`,
        '',
      ].join('\n'),
    );
    io.stderr.write('nothing erased: run again with --yes to erase\n');
    return 2;
  }
  const report = await rights.erase({ subjectId, origin: 'operator' });
  io.stdout.write(formatErasure(subjectId, report));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Output

function formatErasure(subjectId: string, report: ErasureReport): string {
  return [
    `erased subject ${short(subjectId)} (recorded in the rights-request ledger)`,
    `  data key:         ${report.keyShredded ? 'shredded' : 'none stored'}`,
    `  history entries:  ${report.history}`,
    `  profile:          ${report.profile ? 'deleted' : 'none stored'}`,
    `  dialog states:    ${report.conversations}`,
    `  consent state:    ${report.consentState ? 'deleted' : 'none stored'}`,
    '',
  ].join('\n');
}

function formatRequests(requests: readonly RightsRequest[], now: Date): string {
  if (requests.length === 0) return 'no requests\n';
  const header = ['id', 'subject', 'type', 'origin', 'received', 'due', 'status', 'completed', 'outcome'];
  const rows = requests.map((request) => [
    request.id,
    short(request.subjectId),
    request.type,
    request.origin,
    minute(request.receivedAt),
    minute(request.dueAt),
    request.status !== 'completed' && request.dueAt < now ? `${request.status}, overdue` : request.status,
    request.completedAt ? minute(request.completedAt) : '-',
    request.outcome ?? '-',
  ]);
  return `${table([header, ...rows])}times in UTC\n`;
}

function formatDataMap(rows: readonly ProcessingRecord[], config: AppConfig): string {
  const blocks = rows.map((row) =>
    [
      `${row.collection}: ${row.category}`,
      `  fields:       ${row.fields.join(', ')}`,
      `  purpose:      ${row.purpose}`,
      `  legal basis:  ${row.legalBasis}`,
      `  retention:    ${row.retention}`,
      `  protection:   ${row.protection}`,
    ].join('\n'),
  );
  const title = `Records of processing (GDPR Art. 30). Privacy contact: ${config.privacy.contact}`;
  return `${[title, ...blocks].join('\n\n')}\n`;
}

/** Left-aligned columns, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => `${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd())
    .map((line) => `${line}\n`)
    .join('');
}

/** Subject ids are 64 hex characters; 12 tell them apart in a table and in logs. */
function short(subjectId: string): string {
  return subjectId.slice(0, 12);
}

function minute(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

if (require.main === module) {
  void runPrivacyCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

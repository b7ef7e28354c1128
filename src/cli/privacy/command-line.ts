import { parseArgs } from 'node:util';
import { CHANNEL_NAMES } from '../../../adapters';
import type { ChannelName } from '../../core/messages';
import { BREACH_KINDS, breachWhatProblem } from '../../privacy/breach';
import { EXTENSION_REASONS, type ExtensionReason } from '../../privacy/rights/extension-notice';
import { positiveInt } from '../positive-int';

/** A person as the operator names them: the channel and their id on that platform. */
export interface UserRef {
  readonly channel: ChannelName;
  readonly userId: string;
}

export interface RequestsCommand {
  readonly name: 'requests';
  readonly overdue: boolean;
  readonly json: boolean;
  readonly limit: number;
}

export interface ExportCommand {
  readonly name: 'export';
  readonly user: UserRef;
  readonly out: string | undefined;
}

export interface EraseCommand {
  readonly name: 'erase';
  readonly user: UserRef;
  readonly yes: boolean;
}

export interface DataMapCommand {
  readonly name: 'datamap';
  readonly json: boolean;
}

export interface BackupCommand {
  readonly name: 'backup';
  /** Where the copy of the data file goes; a new file. */
  readonly destination: string;
}

/** `breach record`: a personal data breach and whom it affects (GDPR Art. 33(5), 34). */
export interface BreachRecordCommand {
  readonly name: 'breach-record';
  /** A kind (src/privacy/breach.ts) or a short description, checked. */
  readonly what: string;
  readonly occurredAt: Date;
  /** Everyone with stored data, or the file listing the people affected. */
  readonly affected: 'all' | { readonly file: string };
  readonly yes: boolean;
}

export interface BreachListCommand {
  readonly name: 'breach-list';
  readonly json: boolean;
}

/** `extend`: a rights request takes longer (GDPR Art. 12(3), CCPA § 7021(b)), with the reason. */
export interface ExtendCommand {
  readonly name: 'extend';
  /** The request id as `requests` lists it (rr_...). */
  readonly requestId: string;
  readonly reason: ExtensionReason;
}

/** `restore-check`: after restoring a data-file backup; without --yes a dry run (counts only). */
export interface RestoreCheckCommand {
  readonly name: 'restore-check';
  readonly yes: boolean;
}

/** `policy`: the privacy policy template of one locale, from the records of processing. */
export interface PolicyCommand {
  readonly name: 'policy';
  readonly locale: string | undefined;
  /** Write every locale's policy into this directory (privacy-policy.<locale>.md) instead of one to stdout. */
  readonly outDir: string | undefined;
  /** Placeholders for the controller and processors, defaults for the rest: the docs/ templates. */
  readonly template: boolean;
}

/** `usage`: the analytics purpose's anonymous daily feature counts, for the last `days` UTC days. */
export interface UsageCommand {
  readonly name: 'usage';
  readonly days: number;
  readonly json: boolean;
}

/** `purge-all`: decommissioning; without --yes a dry run (counts only). */
export interface PurgeAllCommand {
  readonly name: 'purge-all';
  readonly yes: boolean;
}

export type Command =
  | { readonly name: 'help' }
  | RequestsCommand
  | ExportCommand
  | EraseCommand
  | DataMapCommand
  | { readonly name: 'schema' }
  | BackupCommand
  | BreachRecordCommand
  | BreachListCommand
  | PurgeAllCommand
  | ExtendCommand
  | RestoreCheckCommand
  | PolicyCommand
  | UsageCommand;

const DEFAULT_LIMIT = 1000;
const DEFAULT_USAGE_DAYS = 30;
/** RETENTION_ANALYTICS_MONTHS allows at most 120 months: no count is older than that. */
const MAX_USAGE_DAYS = 3700;

/** Which options each command accepts; anything else is a usage error, not silently ignored. */
const ALLOWED: Record<Exclude<Command['name'], 'help'>, readonly string[]> = {
  requests: ['overdue', 'json', 'limit'],
  export: ['user', 'out'],
  erase: ['user', 'yes'],
  datamap: ['json'],
  schema: [],
  backup: [],
  'breach-record': ['what', 'when', 'affected', 'yes'],
  'breach-list': ['json'],
  'purge-all': ['yes'],
  extend: ['request', 'reason'],
  'restore-check': ['yes'],
  policy: ['locale', 'out-dir', 'template'],
  usage: ['days', 'json'],
};

/** The command words as typed: `breach` takes a sub-command. */
const COMMANDS = [
  'requests',
  'export',
  'erase',
  'datamap',
  'schema',
  'backup',
  'breach',
  'purge-all',
  'extend',
  'restore-check',
  'policy',
  'usage',
];
const BREACH_SUBCOMMANDS = ['record', 'list'];

/**
 * Throws an Error whose message is the usage error to print. `now` is when the command runs: a
 * breach cannot be said to have happened after it.
 */
export function parseCommandLine(argv: readonly string[], now: Date = new Date()): Command {
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
      what: { type: 'string' },
      when: { type: 'string' },
      affected: { type: 'string' },
      request: { type: 'string' },
      reason: { type: 'string' },
      locale: { type: 'string' },
      'out-dir': { type: 'string' },
      template: { type: 'boolean' },
      days: { type: 'string' },
    },
  });
  if (values.help) return { name: 'help' };
  let [name, ...rest] = positionals;
  if (name === undefined) throw new Error('missing command');
  if (!COMMANDS.includes(name)) throw new Error(`unknown command: ${name}`);
  if (name === 'breach') {
    const [sub, ...more] = rest;
    if (sub === undefined || !BREACH_SUBCOMMANDS.includes(sub))
      throw new Error(`breach needs a sub-command: ${BREACH_SUBCOMMANDS.join(' or ')}`);
    name = `breach-${sub}`;
    rest = more;
  }
  const commandName = name as keyof typeof ALLOWED;
  const shown = commandName.replace('breach-', 'breach ');
  // Only backup takes an argument of its own: where the copy goes.
  const operands = commandName === 'backup' ? 1 : 0;
  if (rest.length > operands) throw new Error(`unexpected argument: ${rest.slice(operands).join(' ')}`);
  const extra = Object.keys(values).filter((option) => !ALLOWED[commandName].includes(option));
  if (extra.length > 0) throw new Error(`${shown} does not take --${extra.join(', --')}`);

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
    case 'backup':
      if (!rest[0]) throw new Error('backup needs <destination>: the new file to copy the database to');
      return { name: 'backup', destination: rest[0] };
    case 'breach-record':
      return {
        name: 'breach-record',
        what: parseWhat(values.what),
        occurredAt: parseWhen(values.when, now),
        affected: parseAffected(values.affected),
        yes: values.yes ?? false,
      };
    case 'breach-list':
      return { name: 'breach-list', json: values.json ?? false };
    case 'purge-all':
      return { name: 'purge-all', yes: values.yes ?? false };
    case 'extend':
      return {
        name: 'extend',
        requestId: parseRequestId(values.request),
        reason: parseReason(values.reason),
      };
    case 'restore-check':
      return { name: 'restore-check', yes: values.yes ?? false };
    case 'policy':
      if (values.locale !== undefined && values['out-dir'] !== undefined)
        throw new Error(
          'policy takes --locale (one template to stdout) or --out-dir (all of them), not both',
        );
      if (values.locale === undefined && values['out-dir'] === undefined)
        throw new Error('policy needs --locale <en|de|es|fr> or --out-dir <directory>');
      return {
        name: 'policy',
        locale: values.locale,
        outDir: values['out-dir'],
        template: values.template ?? false,
      };
    case 'usage': {
      const days = values.days === undefined ? DEFAULT_USAGE_DAYS : positiveInt('--days', values.days);
      if (days > MAX_USAGE_DAYS) throw new Error(`--days must be at most ${MAX_USAGE_DAYS}`);
      return { name: 'usage', days, json: values.json ?? false };
    }
  }
}

/** Request ids are `rr_` and hex (both rights-request ledgers make them so); anything else names no request. */
function parseRequestId(value: string | undefined): string {
  if (value === undefined) throw new Error('--request <id> is required: the id `requests` lists (rr_...)');
  if (!/^rr_[0-9a-z]+$/i.test(value))
    throw new Error('--request must be a request id as `requests` lists it (rr_...)');
  return value;
}

function parseReason(value: string | undefined): ExtensionReason {
  const reasons: readonly string[] = EXTENSION_REASONS;
  if (value === undefined || !reasons.includes(value))
    throw new Error(`--reason is required: ${EXTENSION_REASONS.join(' or ')} (GDPR Art. 12(3))`);
  return value as ExtensionReason;
}

function parseWhat(value: string | undefined): string {
  if (value === undefined)
    throw new Error(
      `--what is required: one of ${Object.keys(BREACH_KINDS).join(', ')}, or a short description`,
    );
  const what = value.trim();
  const problem = breachWhatProblem(what);
  if (problem) throw new Error(problem);
  return what;
}

/** A date (midnight UTC) or a date and time with its offset: 2041-03-01, 2041-03-01T09:30Z. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseWhen(value: string | undefined, now: Date): Date {
  if (value === undefined) throw new Error('--when is required: when the breach happened (ISO 8601)');
  const when = ISO_TIME.test(value) && isCalendarDay(value) ? new Date(value) : undefined;
  if (!when || Number.isNaN(when.getTime()))
    throw new Error('--when must be an ISO 8601 date, or date and time with its offset (2041-03-01T09:30Z)');
  if (when.getTime() > now.getTime()) throw new Error('--when is in the future');
  return when;
}

/** 2041-02-30 would otherwise roll over into March. */
function isCalendarDay(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseAffected(value: string | undefined): BreachRecordCommand['affected'] {
  if (value === undefined)
    throw new Error('--affected is required: all, or a file with one affected person per line');
  if (value === 'all') return 'all';
  if (value.trim() === '') throw new Error('--affected needs a file name, or all');
  return { file: value };
}

/**
 * `channel:userId`, split at the first colon (Teams ids contain colons). The value is a person's
 * platform id, so no message here repeats it.
 */
function parseUser(value: string | undefined): UserRef {
  if (value === undefined) throw new Error('--user <channel:userId> is required');
  const user = userRefOf(value);
  if (!user)
    throw new Error(`--user must be <channel:userId> with channel one of ${CHANNEL_NAMES.join(', ')}`);
  return user;
}

/** `channel:userId` as a UserRef, or undefined when it is not one. */
export function userRefOf(value: string): UserRef | undefined {
  const colon = value.indexOf(':');
  const channel = colon < 0 ? '' : value.slice(0, colon);
  const userId = colon < 0 ? '' : value.slice(colon + 1);
  if (!CHANNEL_NAMES.includes(channel) || userId === '') return undefined;
  return { channel, userId };
}

// The channel table's names (adapters/index.ts); breach.ts reads them from here.
export { CHANNEL_NAMES };

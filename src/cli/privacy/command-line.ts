import { parseArgs } from 'node:util';
import type { ChannelName } from '../../core/messages';
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

export type Command =
  | { readonly name: 'help' }
  | RequestsCommand
  | ExportCommand
  | EraseCommand
  | DataMapCommand
  | { readonly name: 'schema' }
  | BackupCommand;

/** A compile error here means ChannelName gained a channel the CLI does not accept yet. */
const CHANNELS: Record<ChannelName, true> = { console: true, telegram: true, discord: true, teams: true };
const DEFAULT_LIMIT = 1000;

/** Which options each command accepts; anything else is a usage error, not silently ignored. */
const ALLOWED: Record<Exclude<Command['name'], 'help'>, readonly string[]> = {
  requests: ['overdue', 'json', 'limit'],
  export: ['user', 'out'],
  erase: ['user', 'yes'],
  datamap: ['json'],
  schema: [],
  backup: [],
};

/** Throws an Error whose message is the usage error to print. */
export function parseCommandLine(argv: readonly string[]): Command {
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
  // Only backup takes an argument of its own: where the copy goes.
  const operands = commandName === 'backup' ? 1 : 0;
  if (rest.length > operands) throw new Error(`unexpected argument: ${rest.slice(operands).join(' ')}`);
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
    case 'backup':
      if (!rest[0]) throw new Error('backup needs <destination>: the new file to copy the database to');
      return { name: 'backup', destination: rest[0] };
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

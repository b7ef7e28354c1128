import { reportCommandError, reportUsageError, streamsOf } from '../cli-io';
import { type Command, parseCommandLine } from './command-line';
import { backupDatabase } from './commands/backup';
import { listBreaches, recordBreachCommand } from './commands/breach';
import { printDataMap } from './commands/datamap';
import { erasePerson } from './commands/erase';
import { exportPerson } from './commands/export';
import { extendRequest } from './commands/extend';
import { purgeAll } from './commands/purge-all';
import { printPolicy } from './commands/policy';
import { listRequests } from './commands/requests';
import { restoreCheck } from './commands/restore-check';
import { printSchema } from './commands/schema';
import { printUsage } from './commands/usage';
import type { PrivacyCliDeps } from './deps';
import { USAGE } from './usage';

/** Runs one command and returns the process exit code (never calls process.exit, so it is testable). */
export async function runPrivacyCli(argv: readonly string[], deps: PrivacyCliDeps = {}): Promise<number> {
  const io = streamsOf(deps);

  let command: Command;
  try {
    command = parseCommandLine(argv, deps.clock?.());
  } catch (error) {
    return reportUsageError(io.stderr, error, USAGE);
  }

  try {
    switch (command.name) {
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      case 'schema':
        return printSchema(io);
      case 'datamap':
        return printDataMap(command, deps, io);
      case 'requests':
        return await listRequests(command, deps, io);
      case 'export':
        return await exportPerson(command, deps, io);
      case 'erase':
        return await erasePerson(command, deps, io);
      case 'backup':
        return await backupDatabase(command, deps, io);
      case 'breach-record':
        return await recordBreachCommand(command, deps, io);
      case 'breach-list':
        return await listBreaches(command, deps, io);
      case 'purge-all':
        return await purgeAll(command, deps, io);
      case 'extend':
        return await extendRequest(command, deps, io);
      case 'restore-check':
        return await restoreCheck(command, deps, io);
      case 'policy':
        return await printPolicy(command, deps, io);
      case 'usage':
        return await printUsage(command, deps, io);
    }
  } catch (error) {
    return reportCommandError(io.stderr, 'privacy', error);
  }
}

import type { App } from '../../../app';
import type { RightsRequest } from '../../../storage/ports';
import type { CliStreams } from '../../cli-io';
import type { RequestsCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { prettyJson, shortSubjectId, table, utcMinute } from '../format';
import { withApp } from '../open-app';

/** `requests`: the rights-request ledger, oldest first, as a table or JSON. */
export function listRequests(
  command: RequestsCommand,
  deps: PrivacyCliDeps,
  io: CliStreams,
): Promise<number> {
  return withApp(deps, (app) => printRequests(app, command, io, deps.clock));
}

async function printRequests(
  app: App,
  command: RequestsCommand,
  io: CliStreams,
  clock: (() => Date) | undefined,
): Promise<number> {
  const { rights, stores } = app.services;
  const now = (clock ?? (() => new Date()))();
  // One more than shown, to tell "exactly the limit" from "cut off at the limit".
  const found = command.overdue
    ? await rights.overdue(now)
    : await stores.rightsRequests.list({ limit: command.limit + 1 });
  const requests = found.slice(0, command.limit);
  io.stdout.write(command.json ? prettyJson(requests) : formatRequests(requests, now));
  if (found.length > command.limit)
    io.stderr.write(`showing the first ${command.limit} (oldest first); raise --limit to see more\n`);
  return 0;
}

function formatRequests(requests: readonly RightsRequest[], now: Date): string {
  if (requests.length === 0) return 'no requests\n';
  const header = ['id', 'subject', 'type', 'origin', 'received', 'due', 'status', 'completed', 'outcome'];
  const rows = requests.map((request) => [
    request.id,
    shortSubjectId(request.subjectId),
    request.type,
    request.origin,
    utcMinute(request.receivedAt),
    utcMinute(request.dueAt),
    request.status !== 'completed' && request.dueAt < now ? `${request.status}, overdue` : request.status,
    request.completedAt ? utcMinute(request.completedAt) : '-',
    request.outcome ?? '-',
  ]);
  return `${table([header, ...rows])}times in UTC\n`;
}

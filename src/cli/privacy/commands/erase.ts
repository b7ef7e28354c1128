import type { App } from '../../../app';
import type { SubjectSummary } from '../../../privacy/rights/data-rights';
import type { ErasureReport } from '../../../privacy/rights/erasure';
import type { CliStreams } from '../../cli-io';
import type { EraseCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { shortSubjectId } from '../format';
import { withApp } from '../open-app';

/** `erase`: without --yes a preview (exit 2), with --yes the erasure and what it removed. */
export function erasePerson(command: EraseCommand, deps: PrivacyCliDeps, io: CliStreams): Promise<number> {
  return withApp(deps, (app) => erase(app, command, io));
}

async function erase(app: App, command: EraseCommand, io: CliStreams): Promise<number> {
  const { rights, subjectIds } = app.services;
  const subjectId = subjectIds.of(command.user.channel, command.user.userId);
  if (!command.yes) {
    // A preview is not a request: nothing is recorded until the operator confirms.
    io.stdout.write(formatPreview(subjectId, await rights.summary(subjectId)));
    io.stderr.write('nothing erased: run again with --yes to erase\n');
    return 2;
  }
  const report = await rights.erase({ subjectId, origin: 'operator' });
  io.stdout.write(formatErasure(subjectId, report));
  return 0;
}

function formatPreview(subjectId: string, summary: SubjectSummary): string {
  return [
    `subject ${shortSubjectId(subjectId)} (pseudonymous id)`,
    'would erase:',
    `  history entries:  ${summary.history.count}`,
    `  profile fields:   ${summary.profile?.fields.length ?? 0}`,
    `  consent state:    ${summary.subject ? 'yes' : 'none'}`,
    '  open dialog steps and the data key (crypto-shredded) as well',
    'kept as evidence until their retention ends:',
    `  consent ledger entries:  ${summary.consentLedger.length}`,
    `  rights requests:         ${summary.requests.length}`,
    '',
  ].join('\n');
}

function formatErasure(subjectId: string, report: ErasureReport): string {
  return [
    `erased subject ${shortSubjectId(subjectId)} (recorded in the rights-request ledger)`,
    `  data key:         ${report.keyShredded ? 'shredded' : 'none stored'}`,
    `  history entries:  ${report.history}`,
    `  profile:          ${report.profile ? 'deleted' : 'none stored'}`,
    `  dialog states:    ${report.conversations}`,
    `  consent state:    ${report.consentState ? 'deleted' : 'none stored'}`,
    '',
  ].join('\n');
}

import type { App } from '../../../app';
import { ConfigError } from '../../../core/errors';
import type { ExtensionRefusal, ExtensionResult } from '../../../privacy/rights/data-rights';
import { extensionNotice } from '../../../privacy/rights/extension-notice';
import type { CliStreams } from '../../cli-io';
import type { ExtendCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { utcMinute } from '../format';
import { withApp } from '../open-app';

const REFUSALS: Record<ExtensionRefusal, string> = {
  'not-open': 'no open request has that id (unknown, or already completed)',
  'already-extended': 'that request was extended once already; the law allows one extension',
  'too-late':
    'its first period is over: the law allows an extension only with notice given within that period',
};

/**
 * `extend --request <id> --reason complexity|volume`: the longest time the law allows for one
 * open request (DataRights.extend: GDPR two further months, CCPA 45 more days), then the notice
 * the law asks for, in the person's language, for the operator to send by the route the request
 * came. The bot keeps no address to send it itself (it stores pseudonymous ids only).
 */
export function extendRequest(command: ExtendCommand, deps: PrivacyCliDeps, io: CliStreams): Promise<number> {
  return withApp(deps, async (app) => {
    const result = await app.services.rights.extend(command.requestId);
    if (!result.extended) throw new ConfigError(`--request: ${REFUSALS[result.refusal]}`);
    const { request, dueAt, locale } = result;
    io.stdout.write(
      [
        `extended request ${request.id} (${request.type}, received ${utcMinute(request.receivedAt)} UTC by ${request.origin})`,
        `  due:      ${utcMinute(dueAt)} UTC (${app.services.rights.deadline.law.toUpperCase()}, extended once)`,
        `  reason:   ${command.reason}`,
        '',
        `Send this to the person now, by the way the request came, in their language (${locale}):`,
        '',
        notice(app, command, result),
        '',
        ...(request.origin === 'operator' ? [] : chatOriginNote(request.origin)),
      ].join('\n'),
    );
    return 0;
  });
}

function notice(
  app: App,
  command: ExtendCommand,
  result: Extract<ExtensionResult, { extended: true }>,
): string {
  const { i18n, config } = app.services;
  return extensionNotice(i18n.translator(result.locale), result.locale, {
    reference: result.request.id,
    receivedAt: result.request.receivedAt,
    dueAt: result.dueAt,
    reason: command.reason,
    contact: config.privacy.contact,
  });
}

/**
 * A request made in the chat: the bot keeps no platform address outside it, and showing the notice
 * at the person's next message would need a pipeline step of its own (none yet), so say so.
 */
function chatOriginNote(origin: string): string[] {
  return [
    `note: the request came by chat (${origin}); the bot keeps no address to send this to and does not`,
    'show it in the chat by itself. Send it through any contact the person has used with you.',
    '',
  ];
}

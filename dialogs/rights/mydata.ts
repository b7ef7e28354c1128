import type { Dialog } from '../../src/engine/turn';
import type { Turn } from '../../src/engine/turn';
import { PURPOSES } from '../../src/privacy/purposes';
import type { SubjectSummary } from '../../src/privacy/rights/data-rights';
import { PURPOSE_NAME_KEYS } from '../privacy/purpose-names';
import { formatDate } from '../format-date';
import { requester } from './requester';

/** `/mydata`, "what do you know about me": GDPR Art. 15, CCPA right to know. Categories, never content. */
export const mydataDialog: Dialog = {
  id: 'mydata',
  commands: ['/mydata'],
  intent: 'mydata',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn) {
    // The summary repeats stored facts (consents, counts, dates): not a copy for the history.
    turn.keepOutOfHistory();
    const summary = await turn.services.rights.access(requester(turn));
    turn.say(describe(turn, summary));
  },
};

function describe(
  turn: Turn,
  { subject, history, profile, consentLedger, requests }: SubjectSummary,
): string {
  const date = (value: Date) => formatDate(turn, value);
  const lines: string[] = [];
  if (subject) {
    const allowed = PURPOSES.filter((purpose) => subject.purposes[purpose]).map((p) =>
      turn.t(PURPOSE_NAME_KEYS[p]),
    );
    lines.push(
      turn.t('mydata.consent', {
        date: date(subject.decidedAt),
        policyVersion: subject.policyVersion,
        purposes: allowed.length > 0 ? allowed.join(', ') : turn.t('mydata.nothingAllowed'),
      }),
    );
    if (subject.restricted) lines.push(turn.t('mydata.restricted'));
  }
  if (history.count > 0) {
    lines.push(
      turn.t('mydata.history', {
        count: history.count,
        first: date(history.first!),
        last: date(history.last!),
      }),
    );
    lines.push(expiryLine(turn, history.expiresFirst, history.expiresLast, history.paused > 0));
  }
  if (profile && profile.fields.length > 0) {
    lines.push(turn.t('mydata.profile', { count: profile.fields.length, updated: date(profile.updatedAt) }));
    lines.push(
      expiryLine(turn, profile.expiresAt ?? undefined, profile.expiresAt ?? undefined, !profile.expiresAt),
    );
  }
  if (consentLedger.length > 0) lines.push(turn.t('mydata.ledger', { count: consentLedger.length }));
  // The request just made is one of them.
  lines.push(turn.t('mydata.requests', { count: requests.length }));
  if (!subject && history.count === 0 && !profile) return `${turn.t('mydata.nothing')}\n${lines.join('\n')}`;
  return [turn.t('mydata.intro'), ...lines, turn.t('mydata.more')].join('\n');
}

function expiryLine(turn: Turn, first: Date | undefined, last: Date | undefined, paused: boolean): string {
  if (paused || !first || !last) return turn.t('mydata.expiryPaused');
  const from = formatDate(turn, first);
  const to = formatDate(turn, last);
  return from === to
    ? turn.t('mydata.expiresOn', { date: from })
    : turn.t('mydata.expiresBetween', { from, to });
}

import type { AppConfig } from '../config/config';
import type { Translate } from '../i18n/i18n';
import type { Locale } from '../i18n/locales';
import { evidenceExpiry } from './deadlines';
import { MAX_BREACH_WHAT_CHARS } from '../storage/breach-checks';
import type { BreachRecord, Stores, SubjectRecord } from '../storage/ports';

/**
 * Personal data breaches (GDPR Art. 33, 34; Telegram's and Discord's developer terms ask bots to
 * inform their users): what the operator records with `npm run privacy -- breach record`, and the
 * notice each affected person is shown once, in their language, at their next message
 * (src/engine/steps/breach-notice.ts). The runbook for the 72-hour notice to the supervisory
 * authority and to the platforms is docs/breach-runbook.md.
 */

/**
 * Kinds of breach the bot can describe in every language. The operator names one with `--what`;
 * anything else is a short description, shown to everyone as written.
 */
export const BREACH_KINDS = {
  'unauthorized-access': 'breach.what.unauthorizedAccess',
  'data-copied': 'breach.what.dataCopied',
  'keys-exposed': 'breach.what.keysExposed',
  'backup-lost': 'breach.what.backupLost',
  'wrong-recipient': 'breach.what.wrongRecipient',
  other: 'breach.what.other',
} as const;
export type BreachKind = keyof typeof BREACH_KINDS;

export function isBreachKind(what: string): what is BreachKind {
  return Object.hasOwn(BREACH_KINDS, what);
}

/**
 * The operator's `--what`: a kind, or one line of 1-200 printable characters (no line breaks or
 * control characters: it is shown in a chat as it is). Returns the problem, or undefined.
 */
export function breachWhatProblem(what: string): string | undefined {
  if (isBreachKind(what)) return undefined;
  if (what.trim() === '') return '--what is empty';
  if ([...what].length > MAX_BREACH_WHAT_CHARS)
    return `--what: a description has at most ${MAX_BREACH_WHAT_CHARS} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(what)) return '--what: one line, without control characters';
  return undefined;
}

/** What happened, in the reader's language: a kind's sentence, or the operator's own words. */
export function breachWhatText(t: Translate, what: string): string {
  return isBreachKind(what) ? t(BREACH_KINDS[what]) : what;
}

/** The day it happened, in the reader's language, as a UTC date ("1 March 2041", "1. März 2041"). */
export function breachDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/**
 * The notice (GDPR Art. 34(2)): what happened and when, whether it concerns the reader for
 * certain (they were listed) or possibly (it affects everyone), what they can do about their
 * data from the chat, and whom to ask or complain to.
 */
export function breachNoticeText(
  t: Translate,
  locale: Locale,
  breach: Pick<BreachRecord, 'what' | 'occurredAt' | 'affectsAll'>,
  config: AppConfig,
): string {
  return t('breach.notice', {
    what: breachWhatText(t, breach.what),
    date: breachDate(breach.occurredAt, locale),
    scope: t(breach.affectsAll ? 'breach.scopeEveryone' : 'breach.scopeListed'),
    contact: config.privacy.contact,
  });
}

/**
 * Whether the bot held any record about a person at `at`: their consent state, an entry of their
 * consent ledger, or a rights request, from then or earlier.
 *
 * "Affected: all" means everyone the bot held any record about when the breach was recorded
 * (when the operator had contained it): people who decided (granted, refused, or answered the
 * age screen below the minimum age: their records are pseudonymous, but they were in the
 * breached store all the same), people erased since (their ledgers were there), and people with
 * only a rights request. Not people who first wrote afterwards, and not people the bot holds
 * nothing about: telling them would be untrue, and remembering that they were told would be the
 * first thing stored about them. The consent state alone cannot answer it (its decision time is
 * the latest decision, not the first), so the ledgers are read, only when the consent state
 * does not settle it.
 */
export async function heldRecordsBy(
  stores: Stores,
  subjectId: string,
  subject: SubjectRecord | null,
  at: Date,
): Promise<boolean> {
  if (subject && subject.decidedAt <= at) return true;
  const [firstDecision] = await stores.consentLedger.list(subjectId);
  if (firstDecision && firstDecision.at <= at) return true;
  const [firstRequest] = await stores.rightsRequests.list({ subjectId, limit: 1 });
  return firstRequest !== undefined && firstRequest.receivedAt <= at;
}

/** The operator's record of a breach, before it is stored. */
export interface BreachInput {
  readonly what: string;
  readonly occurredAt: Date;
  /** Everyone with stored data, or the pseudonymous ids listed. */
  readonly affected: 'all' | readonly string[];
}

/**
 * Records a breach in the register, kept (with its notices) for the evidence period from now,
 * like the consent and rights-request ledgers.
 */
export function recordBreach(
  stores: Stores,
  config: AppConfig,
  input: BreachInput,
  recordedAt: Date,
): Promise<BreachRecord> {
  const affectsAll = input.affected === 'all';
  return stores.breaches.record(
    {
      what: input.what,
      occurredAt: input.occurredAt,
      recordedAt,
      affectsAll,
      expiresAt: evidenceExpiry(recordedAt, config.retention.evidenceMonths),
    },
    affectsAll ? [] : [...new Set(input.affected)],
  );
}

import type { AppConfig } from '../../src/config/config';
import type { Translate } from '../../src/i18n/i18n';
import type { Turn } from '../../src/engine/turn';
import { controllerLines } from '../privacy/controller-text';
import { noticeEntries, shortName } from '../privacy/data-map';
import { retentionText } from '../privacy/retention-text';

/**
 * The onboarding notice (GDPR Art. 13 at the point of collection), short enough for one message
 * on every platform (Discord: 2,000 characters): the choice, with what each purpose keeps and for
 * how long; everything else stored, one line per entry of the records of processing (the data
 * key, the consent state and record, the under-age note, requests, dialog steps, breach notices)
 * with its retention; the controller and the processors; the right to complain and the CCPA
 * statement. /privacy says the same at length. Rendered the same way every time for a locale and
 * configuration, so its hash in the consent ledger identifies exactly what the person read.
 */
export function renderNotice(turn: Turn): string {
  return noticeText(turn.t, turn.config);
}

/** The purposes the choice itself describes, with their retention: not repeated below it. */
const IN_THE_CHOICE = new Set(['history', 'profile']);

export function noticeText(t: Translate, config: AppConfig): string {
  const alsoKept = noticeEntries(config)
    .filter((entry) => !IN_THE_CHOICE.has(entry.topic))
    .map((entry) =>
      t('consent.keptLine', {
        category: shortName(t, config, entry),
        retention: retentionText(t, entry.period),
      }),
    );
  return [
    t('consent.notice', {
      history: retentionText(t, config.retention.historyMs),
      profile: retentionText(t, config.retention.profileMs),
      analytics: retentionText(t, { months: config.retention.analyticsMonths }),
    }),
    [t('consent.alsoKept'), ...alsoKept].join('\n'),
    controllerLines(t, config, { platforms: false }).join('\n'),
    t('consent.rightsAndSale'),
    t('consent.version', { policyVersion: config.privacy.policyVersion }),
  ].join('\n\n');
}

/**
 * The message that put a consent decision before the person, as each consent button names it:
 * `n` the notice, `u` the notice under "my privacy policy has changed", `r` the review of choices
 * already made (`/consent`). Its exact text is what the ledger hashes (GDPR Art. 7(1)).
 */
export const NOTICE_VARIANTS = ['n', 'u', 'r'] as const;
export type NoticeVariant = (typeof NOTICE_VARIANTS)[number];

export function isNoticeVariant(value: string | undefined): value is NoticeVariant {
  return (NOTICE_VARIANTS as readonly string[]).includes(value ?? '');
}

/** The exact text of that message, as the person saw it. */
export function shownText(t: Translate, config: AppConfig, variant: NoticeVariant): string {
  switch (variant) {
    case 'n':
      return noticeText(t, config);
    case 'u':
      return `${t('consent.policyUpdated')}\n\n${noticeText(t, config)}`;
    case 'r':
      return t('consent.review', { policyVersion: config.privacy.policyVersion });
  }
}

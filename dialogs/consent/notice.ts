import type { AppConfig } from '../../src/config/config';
import type { Translate } from '../../src/i18n/i18n';
import type { Turn } from '../../src/engine/turn';
import { retentionText } from '../privacy/retention-text';

/**
 * The onboarding notice (GDPR Art. 13: what, why, how long, your rights, at the point of
 * collection). Rendered the same way every time for a locale and configuration, so its hash in
 * the consent ledger identifies exactly what the person read.
 */
export function renderNotice(turn: Turn): string {
  return noticeText(turn.t, turn.config);
}

export function noticeText(t: Translate, config: AppConfig): string {
  return t('consent.notice', {
    history: retentionText(t, config.retention.historyMs),
    profile: retentionText(t, config.retention.profileMs),
    policyVersion: config.privacy.policyVersion,
  });
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

import type { Translate } from '../../i18n/i18n';
import type { Locale } from '../../i18n/locales';

/**
 * The reasons the law accepts for taking longer: GDPR Art. 12(3) "taking into account the
 * complexity and number of the requests"; the CCPA (11 CCR § 7021(b)) asks for "an explanation".
 */
export const EXTENSION_REASONS = ['complexity', 'volume'] as const;
export type ExtensionReason = (typeof EXTENSION_REASONS)[number];

const REASON_KEYS: Record<ExtensionReason, string> = {
  complexity: 'extension.reasonComplexity',
  volume: 'extension.reasonVolume',
};

export interface ExtensionFacts {
  /** The request id, so the person and the operator speak of the same request. */
  readonly reference: string;
  readonly receivedAt: Date;
  /** The new due date (DataRights.extend). */
  readonly dueAt: Date;
  readonly reason: ExtensionReason;
  /** PRIVACY_CONTACT. */
  readonly contact: string;
}

/**
 * The notice the law asks for when a request takes longer than its first period: that it does,
 * why, and by when the answer comes, in the person's language (`t` and `locale` of that language).
 */
export function extensionNotice(t: Translate, locale: Locale, facts: ExtensionFacts): string {
  const date = (value: Date) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(value);
  return t('extension.notice', {
    reference: facts.reference,
    received: date(facts.receivedAt),
    due: date(facts.dueAt),
    reason: t(REASON_KEYS[facts.reason]),
    contact: facts.contact,
  });
}

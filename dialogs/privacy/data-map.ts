import type { AppConfig } from '../../src/config/config';
import type { Translate } from '../../src/i18n/i18n';
import { type NoticeEntry, recordsOfProcessing } from '../../src/privacy/records-of-processing';
import { retentionText } from './retention-text';

/** Spelled out (not built from the topic) so the locale-key test can see every key in use. */
const TOPIC_KEYS: Readonly<Record<NoticeEntry['topic'], { category: string; purpose: string }>> = {
  consent: { category: 'dataMap.consent', purpose: 'dataMap.consentPurpose' },
  underAge: { category: 'dataMap.underAge', purpose: 'dataMap.underAgePurpose' },
  ledger: { category: 'dataMap.ledger', purpose: 'dataMap.ledgerPurpose' },
  state: { category: 'dataMap.state', purpose: 'dataMap.statePurpose' },
  keys: { category: 'dataMap.keys', purpose: 'dataMap.keysPurpose' },
  history: { category: 'dataMap.history', purpose: 'dataMap.historyPurpose' },
  profile: { category: 'dataMap.profile', purpose: 'dataMap.profilePurpose' },
  requests: { category: 'dataMap.requests', purpose: 'dataMap.requestsPurpose' },
  breaches: { category: 'dataMap.breaches', purpose: 'dataMap.breachesPurpose' },
};

/** The category in a few words, for the consent notice's list. */
const SHORT_KEYS: Readonly<Record<NoticeEntry['topic'], string>> = {
  consent: 'dataMap.short.consent',
  underAge: 'dataMap.short.underAge',
  ledger: 'dataMap.short.ledger',
  state: 'dataMap.short.state',
  keys: 'dataMap.short.keys',
  history: 'dataMap.short.history',
  profile: 'dataMap.short.profile',
  requests: 'dataMap.short.requests',
  breaches: 'dataMap.short.breaches',
};

const PROTECTION_KEYS: Readonly<Record<NoticeEntry['protection'], string>> = {
  encrypted: 'dataMap.encrypted',
  pseudonymous: 'dataMap.pseudonymous',
  wrappedKey: 'dataMap.wrappedKey',
};

/**
 * The notice entries of the records of processing (GDPR Art. 30, src/privacy/records-of-processing.ts),
 * in their order: the single source of what every notice says is stored.
 */
export function noticeEntries(config: AppConfig): NoticeEntry[] {
  return recordsOfProcessing(config).flatMap((record) => record.notice);
}

/** One entry in the person's words: category, purpose, retention (from configuration), protection. */
export function noticeEntryParts(t: Translate, config: AppConfig, entry: NoticeEntry) {
  // The under-age line names the age; the other texts ignore it.
  const age = config.privacy.consentMinAge;
  return {
    category: t(TOPIC_KEYS[entry.topic].category, { age }),
    purpose: t(TOPIC_KEYS[entry.topic].purpose, { age }),
    retention: retentionText(t, entry.period),
    protection: t(PROTECTION_KEYS[entry.protection]),
  };
}

export function shortName(t: Translate, config: AppConfig, entry: NoticeEntry): string {
  return t(SHORT_KEYS[entry.topic], { age: config.privacy.consentMinAge });
}

/** The /privacy data map, one line per entry. */
export function dataMapLines(t: Translate, config: AppConfig): string[] {
  return noticeEntries(config).map((entry) => t('dataMap.line', noticeEntryParts(t, config, entry)));
}

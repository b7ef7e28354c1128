import type { AppConfig } from '../../src/config/config';
import type { Translate } from '../../src/i18n/i18n';
import { retentionText } from './retention-text';

/**
 * The records of processing (GDPR Art. 30) in the words of the /privacy notice: one line per
 * stored category with its purpose, retention (from configuration) and protection.
 */
export function dataMapLines(t: Translate, config: AppConfig): string[] {
  const { retention } = config;
  const evidence = { months: retention.evidenceMonths };
  const rows: Array<[string, string, number | { months: number }, string]> = [
    ['dataMap.consent', 'dataMap.consentPurpose', evidence, 'dataMap.pseudonymous'],
    ['dataMap.history', 'dataMap.historyPurpose', retention.historyMs, 'dataMap.encrypted'],
    ['dataMap.profile', 'dataMap.profilePurpose', retention.profileMs, 'dataMap.encrypted'],
    ['dataMap.state', 'dataMap.statePurpose', retention.stateMs, 'dataMap.pseudonymous'],
    ['dataMap.requests', 'dataMap.requestsPurpose', evidence, 'dataMap.pseudonymous'],
  ];
  return rows.map(([category, purpose, period, protection]) =>
    t('dataMap.line', {
      category: t(category),
      purpose: t(purpose),
      retention: retentionText(t, period),
      protection: t(protection),
    }),
  );
}

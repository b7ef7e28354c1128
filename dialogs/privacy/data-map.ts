import type { AppConfig } from '../../src/config/config';
import type { Translate } from '../../src/i18n/i18n';
import { retentionText } from './retention-text';

/**
 * The records of processing (GDPR Art. 30) in the words of the /privacy notice: one line per
 * stored category with its purpose, retention (from configuration) and protection.
 */
export function dataMapLines(t: Translate, config: AppConfig): string[] {
  const { retention } = config;
  const rows: Array<[string, string, number, string]> = [
    ['dataMap.consent', 'dataMap.consentPurpose', retention.evidenceMs, 'dataMap.pseudonymous'],
    ['dataMap.history', 'dataMap.historyPurpose', retention.historyMs, 'dataMap.encrypted'],
    ['dataMap.profile', 'dataMap.profilePurpose', retention.profileMs, 'dataMap.encrypted'],
    ['dataMap.state', 'dataMap.statePurpose', retention.stateMs, 'dataMap.pseudonymous'],
    ['dataMap.requests', 'dataMap.requestsPurpose', retention.evidenceMs, 'dataMap.pseudonymous'],
  ];
  return rows.map(([category, purpose, ms, protection]) =>
    t('dataMap.line', {
      category: t(category),
      purpose: t(purpose),
      retention: retentionText(t, ms),
      protection: t(protection),
    }),
  );
}

import type { Translate } from '../../src/i18n/i18n';
import type { NoticePeriod } from '../../src/privacy/records-of-processing';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * "30 days", "24 Stunden", "24 meses": retention periods as people read them. A period the
 * configuration gives in calendar months (the evidence) is said in months, never as days; a data
 * key is kept until the data it protects is erased.
 */
export function retentionText(t: Translate, period: NoticePeriod): string {
  if (period === 'untilErasure') return t('retention.untilErasure');
  if (typeof period !== 'number') return t('retention.months', { count: period.months });
  if (period % DAY_MS === 0) return t('retention.days', { count: period / DAY_MS });
  return t('retention.hours', { count: Math.max(1, Math.round(period / HOUR_MS)) });
}

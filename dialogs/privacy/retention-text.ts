import type { Translate } from '../../src/i18n/i18n';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** "30 days", "24 Stunden": retention periods as people read them. */
export function retentionText(t: Translate, ms: number): string {
  if (ms % DAY_MS === 0) return t('retention.days', { count: ms / DAY_MS });
  return t('retention.hours', { count: Math.max(1, Math.round(ms / HOUR_MS)) });
}

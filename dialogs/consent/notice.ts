import type { Turn } from '../../src/engine/turn';
import { retentionText } from '../privacy/retention-text';

/**
 * The onboarding notice (GDPR Art. 13: what, why, how long, your rights, at the point of
 * collection). Rendered the same way every time for a locale and configuration, so its hash in
 * the consent ledger identifies exactly what the person read.
 */
export function renderNotice(turn: Turn): string {
  const { t, config } = turn;
  return t('consent.notice', {
    history: retentionText(t, config.retention.historyMs),
    profile: retentionText(t, config.retention.profileMs),
    policyVersion: config.privacy.policyVersion,
  });
}

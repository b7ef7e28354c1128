import type { Next } from '../../core/pipeline';
import type { RateLimiter } from '../rate-limiter';
import type { Turn } from '../turn';
import { logId } from '../../logging/log-id';

export function rateLimit(limiter: RateLimiter) {
  return async (turn: Turn, next: Next): Promise<void> => {
    const verdict = limiter.check(turn.subjectId, turn.now.getTime());
    if (verdict === 'allowed') return next();
    // Once per window: the notice and one log line; the rest of a flood gets silence.
    if (verdict === 'refused') {
      turn.services.logger.warn({ subject: logId(turn.subjectId), code: 'RATE_LIMITED' }, 'turns refused');
      turn.say(turn.t('input.rateLimited'));
    }
  };
}

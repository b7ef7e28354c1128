import type { Next } from '../../core/pipeline';
import type { RateLimiter } from '../rate-limiter';
import type { Turn } from '../turn';

export function rateLimit(limiter: RateLimiter) {
  return async (turn: Turn, next: Next): Promise<void> => {
    if (!limiter.allow(turn.subjectId, turn.now.getTime())) {
      turn.services.logger.warn(
        { subject: turn.subjectId.slice(0, 12), code: 'RATE_LIMITED' },
        'turn refused',
      );
      turn.say(turn.t('input.rateLimited'));
      return;
    }
    await next();
  };
}

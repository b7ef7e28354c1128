import type { TurnHandler } from '../core/channel';
import { AppError, errorCode } from '../core/errors';
import type { IncomingMessage, OutgoingMessage } from '../core/messages';
import { compose, type Step } from '../core/pipeline';
import { RateLimiter } from './rate-limiter';
import type { EngineServices } from './services';
import { breachNotice } from './steps/breach-notice';
import { consentGate } from './steps/consent-gate';
import { dispatch } from './steps/dispatch';
import { guardInput } from './steps/guard-input';
import { identify } from './steps/identify';
import { loadAndPersistState } from './steps/load-state';
import { privateChatGate } from './steps/private-chat-gate';
import { rateLimit } from './steps/rate-limit';
import { recordHistory } from './steps/record-history';
import { resolveRoute } from './steps/resolve-route';
import { Turn } from './turn';
import { logId } from '../logging/log-id';

/**
 * The dialog engine: one pipeline for every channel. Privacy steps come before any dialog, so a
 * dialog cannot forget them; one error handler per turn turns failures into a clear reply.
 */
export class Engine {
  private readonly pipeline: Step<Turn>;

  constructor(private readonly services: EngineServices) {
    const limiter = new RateLimiter(services.config.limits.turnsPerMinute, 60_000);
    this.pipeline = compose<Turn>([
      identify,
      guardInput,
      rateLimit(limiter),
      breachNotice,
      loadAndPersistState,
      resolveRoute,
      consentGate,
      privateChatGate,
      recordHistory,
      dispatch,
    ]);
  }

  readonly handle: TurnHandler = async (message: IncomingMessage): Promise<readonly OutgoingMessage[]> => {
    const { subjectIds, logger } = this.services;
    const subjectId = subjectIds.of(message.channel, message.userKey);
    const conversationId = subjectIds.conversation(message.channel, message.conversationKey);
    const turn = new Turn(message, subjectId, conversationId, this.services);
    const started = Date.now();
    try {
      await this.pipeline(turn, () => Promise.resolve());
      logger.debug({ subject: logId(subjectId), route: turn.route.kind, ms: Date.now() - started }, 'turn');
    } catch (error) {
      logger.error({ subject: logId(subjectId), route: turn.route.kind, err: error }, 'turn failed');
      turn.say(turn.t(apologyFor(error)));
    }
    return turn.replies;
  };
}

function apologyFor(error: unknown): string {
  const code = error instanceof AppError ? error.code : errorCode(error);
  if (code === 'STORAGE_UNAVAILABLE') return 'errors.storageUnavailable';
  if (code === 'KMS_UNAVAILABLE' || code === 'KMS_DENIED') return 'errors.keysUnavailable';
  return 'errors.generic';
}

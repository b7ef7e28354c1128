import type { TurnHandler } from '../core/channel';
import { AppError, errorCode } from '../core/errors';
import type { IncomingMessage, OutgoingMessage } from '../core/messages';
import { compose, type Step } from '../core/pipeline';
import { RateLimiter } from './rate-limiter';
import type { EngineServices } from './turn';
import { breachNotice } from './steps/breach-notice';
import { consentGate } from './steps/consent-gate';
import { countUsage } from './steps/count-usage';
import { dispatch } from './steps/dispatch';
import { guardInput } from './steps/guard-input';
import { identify } from './steps/identify';
import { conversationState } from './steps/conversation-state';
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
  private readonly gates: readonly Step<Turn>[];
  private readonly ownSteps: Step<Turn>[] = [];
  private pipeline: Step<Turn>;

  constructor(private readonly services: EngineServices) {
    const limiter = new RateLimiter(services.config.limits.turnsPerMinute, 60_000);
    this.gates = [
      identify,
      guardInput,
      rateLimit(limiter),
      breachNotice,
      conversationState,
      resolveRoute,
      consentGate,
      privateChatGate,
      countUsage,
      recordHistory,
    ];
    this.pipeline = this.compose();
  }

  /**
   * Adds a step of your own (an FAQ, a call to a language model). It runs after every privacy gate
   * (identify, input guard, rate limit, consent, private-chat rule) and inside history recording,
   * just before the dialogs: answer with `turn.say(...)` and return, or `await next()` to let the
   * dialogs have the turn. Steps run in the order they were added.
   */
  use(step: Step<Turn>): this {
    this.ownSteps.push(step);
    this.pipeline = this.compose();
    return this;
  }

  private compose(): Step<Turn> {
    return compose<Turn>([...this.gates, ...this.ownSteps, dispatch]);
  }

  readonly handle: TurnHandler = async (message: IncomingMessage): Promise<readonly OutgoingMessage[]> => {
    const { subjectIds, logger } = this.services;
    const subjectId = subjectIds.of(message.channel, message.userKey);
    const conversationId = subjectIds.conversation(message.channel, message.conversationKey);
    const turn = new Turn(message, subjectId, conversationId, this.services);
    const started = Date.now();
    try {
      await withinTimeLimit(
        this.pipeline(turn, () => Promise.resolve()),
        this.services.config.limits.turnMs,
      );
      logger.debug({ subject: logId(subjectId), route: turn.route.kind, ms: Date.now() - started }, 'turn');
    } catch (error) {
      const code = errorCode(error);
      logger.error({ subject: logId(subjectId), route: turn.route.kind, code, err: error }, 'turn failed');
      // Replies of a turn that ran out of time are dropped: the apology is all the person gets.
      if (code === 'TURN_TIMEOUT') return [{ kind: 'text', text: turn.t('errors.turnTimeout') }];
      turn.say(turn.t(apologyFor(error)));
    }
    return turn.replies;
  };
}

/**
 * Like Telegraf's handlerTimeout: a turn that hangs (a stalled KMS call, a locked database) must
 * not hold the person's chat forever. The turn itself cannot be cancelled; it finishes (or fails,
 * logged) in the background and its replies are dropped.
 */
async function withinTimeLimit(work: Promise<void>, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('TURN_TIMEOUT', `turn took over ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // The losing side of the race must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}

function apologyFor(error: unknown): string {
  const code = errorCode(error);
  if (code === 'STORAGE_UNAVAILABLE') return 'errors.storageUnavailable';
  if (code === 'KMS_UNAVAILABLE' || code === 'KMS_DENIED') return 'errors.keysUnavailable';
  return 'errors.generic';
}

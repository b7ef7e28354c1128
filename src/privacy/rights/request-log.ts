import { errorCode } from '../../core/errors';
import type { Logger } from '../../logging/logger';
import { logId } from '../../logging/log-id';
import { type RightsRequestDeadline, evidenceExpiry } from '../deadlines';
import type { RequestOrigin, RightsRequest, RightsRequestLedger } from '../../storage/ports';
import type { RightsRequestType } from './request-types';

export interface RequestInput {
  readonly subjectId: string;
  readonly type: RightsRequestType;
  readonly origin: RequestOrigin;
  readonly at: Date;
}

/** What a request handler returns: a content-free outcome for the ledger and a value for the caller. */
export interface Handled<T> {
  readonly outcome: string;
  readonly value: T;
}

/**
 * Every data-rights request goes through here: it is opened in the ledger with its due date (in
 * the law's terms: src/privacy/deadlines.ts) before any work, then marked completed or failed with
 * an outcome, so the operator can prove it was answered in time (GDPR Art. 5(2), 12(3); CCPA
 * § 7021) and see the ones that were not. Each record is kept RETENTION_EVIDENCE_MONTHS calendar
 * months (CCPA § 7101: at least 24).
 */
export class RequestLog {
  constructor(
    private readonly ledger: RightsRequestLedger,
    private readonly logger: Logger,
    private readonly deadline: RightsRequestDeadline,
    private readonly evidenceMonths: number,
    private readonly clock: () => Date,
  ) {}

  async handle<T>(input: RequestInput, work: (request: RightsRequest) => Promise<Handled<T>>): Promise<T> {
    const request = await this.ledger.open(
      { ...input, receivedAt: input.at, dueAt: this.deadline.dueAt(input.at) },
      evidenceExpiry(input.at, this.evidenceMonths),
    );
    let handled: Handled<T>;
    try {
      handled = await work(request);
    } catch (error) {
      const code = failureCode(error);
      this.logger.error(
        { request: request.id, type: input.type, subject: logId(input.subjectId), code, err: error },
        'rights request failed',
      );
      // Best effort: the failure itself must reach the person even if the ledger is down too.
      await this.ledger.finish(request.id, 'failed', code, this.clock()).catch(() => undefined);
      throw error;
    }
    await this.recordCompletion(input, request, handled.outcome);
    return handled.value;
  }

  /**
   * The work is done, so the person gets their answer even if the ledger write fails: the
   * request then stays open and shows up in `npm run privacy -- requests --overdue`.
   */
  private async recordCompletion(
    input: RequestInput,
    request: RightsRequest,
    outcome: string,
  ): Promise<void> {
    const at = this.clock();
    try {
      // An earlier unfinished erasure (say) that this one completed is answered too, not overdue
      // forever. Not for access and export: each answers itself, and an export still running
      // must not be counted as completed by the daily limit.
      await this.ledger.finish(request.id, 'completed', outcome, at, {
        supersede: !SELF_CONTAINED.has(input.type),
      });
      this.logger.info({ request: request.id, type: input.type, outcome }, 'rights request completed');
    } catch (error) {
      this.logger.error(
        { request: request.id, type: input.type, code: errorCode(error) },
        'rights request done but not recorded as completed',
      );
    }
  }
}

const SELF_CONTAINED: ReadonlySet<RightsRequestType> = new Set(['access', 'export']);

/** `ERASURE_INCOMPLETE@history<-STORAGE_UNAVAILABLE`: what failed, at which step, and why. */
function failureCode(error: unknown): string {
  const step =
    typeof (error as { step?: unknown }).step === 'string' ? `@${(error as { step: string }).step}` : '';
  const cause = error instanceof Error && error.cause !== undefined ? `<-${errorCode(error.cause)}` : '';
  return `${errorCode(error)}${step}${cause}`;
}

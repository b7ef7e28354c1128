import type { AppConfig } from '../../config/config';
import type { Locale } from '../../i18n/locales';
import type { Logger } from '../../logging/logger';
import type { ProfileField } from '../profile-fields';
import type {
  CategorySummary,
  ConsentLedgerEntry,
  ProfileSummary,
  RequestOrigin,
  RightsRequest,
  Stores,
  SubjectRecord,
} from '../../storage/ports';
import { RightsRequestDeadline } from '../deadlines';
import { type ErasureReport, type KeyShredder, eraseSubject, erasureOutcome } from './erasure';
import { type ExportCounts, exportChunks } from './export';
import { RequestLog } from './request-log';

/** Everything /mydata shows: categories with counts and dates, never content. */
export interface SubjectSummary {
  readonly subject: SubjectRecord | null;
  readonly history: CategorySummary;
  readonly profile: ProfileSummary | null;
  readonly consentLedger: readonly ConsentLedgerEntry[];
  readonly requests: readonly RightsRequest[];
}

export interface ExportResult {
  readonly bytes: Buffer;
  readonly historyCount: number;
}

/** What a streamed export wrote, and the ledger entry that records it. */
export interface StreamedExport {
  readonly requestId: string;
  readonly historyCount: number;
  readonly bytes: number;
}

/** Who asked: the pseudonymous subject and the route the request came by. */
export interface Requester {
  readonly subjectId: string;
  readonly origin: RequestOrigin;
}

/** Why an extension could not be made: the request is not open, was extended, or its first period ran out. */
export type ExtensionRefusal = 'not-open' | 'already-extended' | 'too-late';

export type ExtensionResult =
  | {
      readonly extended: true;
      readonly request: RightsRequest;
      /** The new due date: the latest the law allows. */
      readonly dueAt: Date;
      /** The language to tell the person in: theirs if they chose one, else DEFAULT_LOCALE. */
      readonly locale: Locale;
    }
  | { readonly extended: false; readonly refusal: ExtensionRefusal; readonly request?: RightsRequest };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Later than any due date: `list({ overdueAt })` with it lists every request not completed. */
const END_OF_TIME = new Date(8.64e15);

/**
 * The data-subject rights (GDPR Art. 15-21; CCPA know, delete, correct) as one service shared by
 * the chat dialogs and the operator CLI. Each call is one entry in the rights-request ledger.
 */
export class DataRights {
  private readonly log: RequestLog;
  /** The deadlines requests run under (RIGHTS_REQUEST_DEADLINE). */
  readonly deadline: RightsRequestDeadline;

  constructor(
    private readonly deps: {
      readonly stores: Stores;
      readonly keys: KeyShredder;
      readonly config: AppConfig;
      readonly logger: Logger;
      readonly clock: () => Date;
    },
  ) {
    const { config } = deps;
    this.deadline = new RightsRequestDeadline(config.privacy.rightsRequestDeadline);
    this.log = new RequestLog(
      deps.stores.rightsRequests,
      deps.logger,
      this.deadline,
      config.retention.evidenceMonths,
      deps.clock,
    );
  }

  private get stores(): Stores {
    return this.deps.stores;
  }

  /** Art. 15 access: what is stored, by category. */
  access(who: Requester): Promise<SubjectSummary> {
    return this.log.handle({ ...who, type: 'access', at: this.deps.clock() }, async () => {
      const value = await this.summary(who.subjectId);
      return { outcome: `history=${value.history.count} profile=${value.profile ? 1 : 0}`, value };
    });
  }

  async summary(subjectId: string): Promise<SubjectSummary> {
    const [subject, history, profile, consentLedger, requests] = await Promise.all([
      this.stores.subjects.get(subjectId),
      this.stores.history.summary(subjectId),
      // Not decrypted: a summary must work after the key was shredded by an unfinished erasure.
      this.stores.profiles.describe(subjectId),
      this.stores.consentLedger.list(subjectId),
      this.stores.rightsRequests.list({ subjectId }),
    ]);
    return { subject, history, profile, consentLedger, requests };
  }

  /** Exports completed in the last 24 hours have reached EXPORT_RATE_LIMIT_PER_DAY. */
  async exportLimitReached(subjectId: string): Promise<boolean> {
    const since = new Date(this.deps.clock().getTime() - DAY_MS);
    const done = await this.stores.rightsRequests.countCompleted(subjectId, 'export', since);
    return done >= this.deps.config.limits.exportsPerDay;
  }

  /** Art. 15(3), 20: the export file for a chat reply, gathered from the streamed pieces. */
  async exportFile(who: Requester): Promise<ExportResult> {
    const pieces: Buffer[] = [];
    const result = await this.exportTo(who, (piece) => {
      pieces.push(Buffer.from(piece, 'utf8'));
      return Promise.resolve();
    });
    return { bytes: Buffer.concat(pieces), historyCount: result.historyCount };
  }

  /**
   * Art. 15(3), 20 for exports of any size (the operator CLI): each piece goes to `write` as it is
   * produced, inside one logged request, so the ledger says completed only after the last piece
   * was written and failed if the writer or the database gave up half-way.
   */
  exportTo(who: Requester, write: (piece: string) => Promise<void>): Promise<StreamedExport> {
    const at = this.deps.clock();
    return this.log.handle({ ...who, type: 'export', at }, async (request) => {
      const counts: ExportCounts = { history: 0 };
      let bytes = 0;
      for await (const piece of this.exportStream(who.subjectId, at, counts)) {
        await write(piece);
        bytes += Buffer.byteLength(piece, 'utf8');
      }
      return {
        outcome: `history=${counts.history} bytes=${bytes}`,
        value: { requestId: request.id, historyCount: counts.history, bytes },
      };
    });
  }

  /** The export as text pieces, unlogged: callers that answer a request use exportFile or exportTo. */
  exportStream(subjectId: string, at: Date, counts: ExportCounts = { history: 0 }): AsyncGenerator<string> {
    return exportChunks(this.stores, subjectId, at, counts);
  }

  /** Art. 17 erasure: see erasure.ts. */
  erase(who: Requester): Promise<ErasureReport> {
    return this.log.handle({ ...who, type: 'erasure', at: this.deps.clock() }, async () => {
      const report = await eraseSubject(this.stores, this.deps.keys, who.subjectId);
      return { outcome: erasureOutcome(report), value: report };
    });
  }

  /** Art. 16: correct one profile field. */
  correct(who: Requester, field: ProfileField, value: string): Promise<void> {
    const at = this.deps.clock();
    return this.log.handle({ ...who, type: 'rectification', at }, async () => {
      const expiresAt = new Date(at.getTime() + this.deps.config.retention.profileMs);
      await this.stores.profiles.set(who.subjectId, field, value, at, expiresAt);
      const subject = await this.stores.subjects.get(who.subjectId);
      // A restricted person's data keeps its paused clock, corrected or not.
      if (subject?.restricted) await this.stores.profiles.pause(who.subjectId, at);
      return { outcome: `field=${field}`, value: undefined };
    });
  }

  /** Art. 18: keep the data, stop processing it, pause its expiry. */
  restrict(who: Requester): Promise<void> {
    const at = this.deps.clock();
    return this.log.handle({ ...who, type: 'restriction', at }, async () => {
      // The flag first: from then on every store writes this person's data with its clock paused,
      // so a turn in flight cannot start a running clock. If a pause below fails, the person is
      // already restricted and asking again repeats the pauses (each is idempotent); data is never
      // left paused with nobody restricted, which would keep it forever.
      await this.stores.subjects.setRestricted(who.subjectId, true, at);
      await this.stores.history.pause(who.subjectId, at);
      await this.stores.profiles.pause(who.subjectId, at);
      return { outcome: 'restricted', value: undefined };
    });
  }

  /** Lift the restriction: processing and the expiry clocks resume where they stopped. */
  liftRestriction(who: Requester): Promise<void> {
    const at = this.deps.clock();
    return this.log.handle({ ...who, type: 'restriction-lifted', at }, async () => {
      // The clocks first and the flag last, for the same reason as above in reverse.
      await this.stores.history.resume(who.subjectId, at);
      await this.stores.profiles.resume(who.subjectId, at);
      await this.stores.subjects.setRestricted(who.subjectId, false, at);
      return { outcome: 'lifted', value: undefined };
    });
  }

  /** Art. 21: the objection is recorded here; the consent change itself is the caller's. */
  object<T>(who: Requester, purpose: string, stop: () => Promise<T>): Promise<T> {
    return this.log.handle({ ...who, type: 'objection', at: this.deps.clock() }, async () => ({
      outcome: `purpose=${purpose}`,
      value: await stop(),
    }));
  }

  /**
   * GDPR Art. 12(3), CCPA § 7021(b): give an unanswered request the longest time the law allows,
   * once, and only while its first period runs. The law then asks that the person be told, with
   * the reason, before that period ends: `extensionNotice` (./extension-notice.ts) renders that
   * message in the returned locale, for the operator to send by the way the request came.
   */
  async extend(requestId: string, at = this.deps.clock()): Promise<ExtensionResult> {
    const unanswered = await this.stores.rightsRequests.list({ overdueAt: END_OF_TIME });
    const request = unanswered.find((candidate) => candidate.id === requestId);
    if (!request) return { extended: false, refusal: 'not-open' };
    const firstDue = this.deadline.dueAt(request.receivedAt);
    if (request.dueAt.getTime() > firstDue.getTime())
      return { extended: false, refusal: 'already-extended', request };
    if (!this.deadline.canExtend(request, at)) return { extended: false, refusal: 'too-late', request };
    const dueAt = this.deadline.extendedDueAt(request.receivedAt);
    if (!(await this.stores.rightsRequests.extend(request.id, dueAt)))
      return { extended: false, refusal: 'not-open', request };
    const subject = await this.stores.subjects.get(request.subjectId);
    this.deps.logger.info({ request: request.id, dueAt }, 'rights request extended');
    return {
      extended: true,
      request: { ...request, dueAt },
      dueAt,
      locale: subject?.locale ?? this.deps.config.defaultLocale,
    };
  }

  /** Requests past their due date and not completed, oldest first (the operator's worklist). */
  overdue(at = this.deps.clock()): Promise<RightsRequest[]> {
    return this.stores.rightsRequests.list({ overdueAt: at });
  }
}

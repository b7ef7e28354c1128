import type { AppConfig } from '../config/config';
import type { IncomingMessage, OutgoingMessage, TextReply } from '../core/messages';
import { textReply } from '../core/messages';
import type { Translate } from '../i18n/i18n';
import type { Locale } from '../i18n/locales';
import type { Purpose } from '../privacy/purposes';
import type { ActiveDialog, ConversationState, SubjectRecord } from '../storage/ports';
import type { Dialog } from './dialog';
import type { EngineServices } from './services';

/** Where the router sends this turn; computed before the consent gate so the gate can judge it. */
export type Route =
  | { kind: 'command'; dialog: Dialog; args: string }
  | { kind: 'intent'; dialog: Dialog; args: string }
  | { kind: 'action'; dialog: Dialog; verb: string; args: readonly string[] }
  | { kind: 'continue'; dialog: Dialog; text: string }
  | { kind: 'unknown-action' }
  | { kind: 'unknown-command'; command: string }
  | { kind: 'conversation-started' }
  | { kind: 'fallback'; text: string };

/** Everything one turn knows. Created per incoming message, discarded after the replies. */
export class Turn {
  readonly replies: OutgoingMessage[] = [];
  subject: SubjectRecord | null = null;
  locale: Locale;
  t: Translate;
  route: Route = { kind: 'fallback', text: '' };
  /** A label for the person's message in their history ('note' for "remember that ..."). */
  historyTag: string | undefined;
  /** Set by keepOutOfHistory(): nothing of this turn goes into the history. */
  historyExcluded = false;
  private conversationState: ConversationState = {};
  private stateDirty = false;

  constructor(
    readonly message: IncomingMessage,
    readonly subjectId: string,
    readonly conversationId: string,
    readonly services: EngineServices,
  ) {
    this.locale = services.config.defaultLocale;
    this.t = services.i18n.translator(this.locale);
  }

  get config(): AppConfig {
    return this.services.config;
  }

  get now(): Date {
    return this.services.clock();
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    this.t = this.services.i18n.translator(locale);
  }

  /** A decision exists for the current policy version. */
  get hasDecided(): boolean {
    return this.subject?.policyVersion === this.config.privacy.policyVersion;
  }

  /** Processing for `purpose` is allowed now: consented, not restricted. */
  allows(purpose: Purpose): boolean {
    return this.hasDecided && !this.subject!.restricted && this.subject!.purposes[purpose];
  }

  /**
   * Keep this turn out of the history: replies that repeat stored data (a recall would copy the
   * notes with a fresh expiry) and lines that set a profile value, so the profile stays the only
   * copy and a correction or objection leaves nothing behind (see record-history.ts).
   */
  keepOutOfHistory(): void {
    this.historyExcluded = true;
  }

  say(text: string, extra: Omit<TextReply, 'kind' | 'text'> = {}): void {
    this.replies.push(textReply(text, extra));
  }

  send(reply: OutgoingMessage): void {
    this.replies.push(reply);
  }

  get activeDialog(): ActiveDialog | undefined {
    return this.conversationState.activeDialog;
  }

  loadState(state: ConversationState | null): void {
    this.conversationState = state ?? {};
  }

  /** Wait for the person's next text in this conversation (persisted, survives restarts). */
  await(dialogId: string, step: string, data?: Record<string, string>): void {
    this.conversationState = { activeDialog: { dialogId, step, ...(data ? { data } : {}) } };
    this.stateDirty = true;
  }

  endDialog(): void {
    if (!this.conversationState.activeDialog) return;
    this.conversationState = {};
    this.stateDirty = true;
  }

  get pendingState(): { dirty: boolean; state: ConversationState } {
    return { dirty: this.stateDirty, state: this.conversationState };
  }
}

import type { AppConfig } from '../config/config';
import type { IncomingMessage, OutgoingMessage, TextReply } from '../core/messages';
import { textReply } from '../core/messages';
import type { I18n, Translate } from '../i18n/i18n';
import type { Locale } from '../i18n/locales';
import type { Logger } from '../logging/logger';
import type { ConsentService } from '../privacy/consent-service';
import type { Purpose } from '../privacy/purposes';
import type { DataRights } from '../privacy/rights/data-rights';
import type { SubjectIds } from '../privacy/subject-id';
import type { UsageTally } from '../privacy/usage-tally';
import type { ActiveDialog, ConversationState, Stores, SubjectRecord } from '../storage/ports';
import type { MenuEntry } from './command-menu';

/*
 * The engine's contract in one module: a Turn, the Dialogs it is routed to, the registry that
 * finds them and the services a turn reaches. They refer to each other, so they live together
 * and nothing here imports back from a module that needs them (dependency-cruiser: no cycles).
 */

/** What the composition root hands the engine. Dialogs reach everything through `turn.services`. */
export interface EngineServices {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly i18n: I18n;
  readonly stores: Stores;
  readonly subjectIds: SubjectIds;
  readonly consent: ConsentService;
  readonly rights: DataRights;
  readonly dialogs: DialogRegistry;
  /** The `analytics` purpose: anonymous daily feature counts, in memory until the next flush. */
  readonly usage: UsageTally;
  readonly clock: () => Date;
}

/**
 * One dialog or intent. Registered once in dialogs/index.ts; the engine routes commands,
 * natural phrases, button presses and follow-up text to it.
 */
export interface Dialog {
  readonly id: string;
  /** Slash commands, lower case, with the slash: ['/delete', '/forgetme']. */
  readonly commands: readonly string[];
  /** Name under `intents.` in the locale files whose phrases start this dialog. */
  readonly intent?: string;
  /** May run before the person has made a consent decision (it stores nothing). */
  readonly beforeConsent?: boolean;
  /** Shows personal data or changes it: only in a private chat, never in a group. */
  readonly privateChatOnly?: boolean;

  start(turn: Turn, args: string): Promise<void>;
  /** A button of this dialog: action id `${id}:${verb}:${arg...}`. */
  onAction?(turn: Turn, verb: string, args: readonly string[]): Promise<void>;
  /**
   * Steps that wait for free text (a name, a value): there, a message that happens to be a
   * phrase ("Help") is the answer, not a command. Only withdrawal ("stop") still wins.
   */
  readonly freeTextSteps?: readonly string[];
  /** Text typed while this dialog is the conversation's active dialog. */
  onText?(turn: Turn, text: string): Promise<void>;
}

export function actionId(dialogId: string, verb: string, ...args: string[]): string {
  return [dialogId, verb, ...args].join(':');
}

/** Every dialog, found by id, command or intent; built once by dialogs/index.ts. */
export interface DialogRegistry {
  byId(id: string): Dialog | undefined;
  byCommand(command: string): Dialog | undefined;
  byIntent(intent: string): Dialog | undefined;
  /** Shown to an undecided person (the consent onboarding). */
  readonly onboarding: OnboardingDialog;
  /** Answers anything nothing else claimed. */
  readonly fallback: FallbackDialog;
  /**
   * The commands every channel's menu lists (Telegram, Discord, Teams, the terminal's /help),
   * most important first: where a platform allows fewer, the first ones are kept.
   */
  readonly menu: readonly MenuEntry[];
}

export interface OnboardingDialog extends Dialog {
  showNotice(turn: Turn): Promise<void>;
}

export interface FallbackDialog extends Dialog {
  onUnknown(turn: Turn, text: string): Promise<void>;
}

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

  /**
   * Make `dialogId` the conversation's active dialog, waiting in `step` for the person's next
   * message or button (persisted, survives restarts; expires after RETENTION_STATE_HOURS).
   */
  waitForReply(dialogId: string, step: string, data?: Record<string, string>): void {
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

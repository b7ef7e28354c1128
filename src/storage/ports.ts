import type { ChannelName } from '../core/messages';
import type { Purpose, PurposeChoices } from '../privacy/purposes';
import type { Locale } from '../i18n/locales';

/**
 * The storage the engine and dialogs depend on. MongoDB implements it in src/storage/mongo/;
 * nothing above this line knows about mongoose.
 */

/** What the bot keeps about a person once they have made a consent decision. */
export interface SubjectRecord {
  readonly subjectId: string;
  readonly policyVersion: string;
  readonly purposes: PurposeChoices;
  readonly decidedAt: Date;
  readonly locale?: Locale;
  /** GDPR Art. 18: data kept, processing frozen, expiry paused. */
  readonly restricted: boolean;
}

export interface SubjectStore {
  get(subjectId: string): Promise<SubjectRecord | null>;
  /** Create or replace the current decision; `expiresAt` is the evidence retention. */
  saveDecision(record: Omit<SubjectRecord, 'restricted'>, expiresAt: Date): Promise<void>;
  setLocale(subjectId: string, locale: Locale): Promise<void>;
  delete(subjectId: string): Promise<boolean>;
}

export type ConsentDecision = 'granted' | 'denied' | 'withdrawn';

/** One line of the append-only consent ledger (GDPR Art. 7(1): consent is demonstrable). */
export interface ConsentLedgerEntry {
  readonly subjectId: string;
  readonly purpose: Purpose;
  readonly decision: ConsentDecision;
  readonly policyVersion: string;
  /** SHA-256 of the exact notice text the person saw. */
  readonly noticeHash: string;
  readonly locale: Locale;
  readonly channel: ChannelName;
  readonly at: Date;
}

export interface ConsentLedger {
  append(entries: readonly ConsentLedgerEntry[], expiresAt: Date): Promise<void>;
  list(subjectId: string): Promise<ConsentLedgerEntry[]>;
}

/** A dialog waiting for the person's next input in one conversation. */
export interface ActiveDialog {
  readonly dialogId: string;
  readonly step: string;
  readonly data?: Readonly<Record<string, string>>;
}

export interface ConversationState {
  readonly activeDialog?: ActiveDialog;
}

export interface ConversationStateStore {
  load(subjectId: string, conversationId: string): Promise<ConversationState | null>;
  save(subjectId: string, conversationId: string, state: ConversationState, expiresAt: Date): Promise<void>;
  clear(subjectId: string, conversationId: string): Promise<void>;
  deleteAllOf(subjectId: string): Promise<number>;
}

export interface Stores {
  readonly subjects: SubjectStore;
  readonly consentLedger: ConsentLedger;
  readonly conversations: ConversationStateStore;
}

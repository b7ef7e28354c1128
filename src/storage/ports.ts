import type { ChannelName } from '../core/messages';
import type { Purpose, PurposeChoices } from '../privacy/purposes';
import type { ProfileField } from '../privacy/profile-fields';
import type { RightsRequestType } from '../privacy/rights/request-types';
import type { Locale } from '../i18n/locales';

/**
 * The storage the engine and dialogs depend on. SQLite (src/storage/sqlite/, the default) and
 * MongoDB (src/storage/mongo/) implement it; nothing above this line knows about either.
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
  /**
   * Answered the age screen below CONSENT_MIN_AGE (GDPR Art. 8, COPPA): nothing may be stored on
   * consent. Kept so a second tap on an older age button cannot undo the answer.
   */
  readonly underAge?: boolean;
}

export interface SubjectStore {
  get(subjectId: string): Promise<SubjectRecord | null>;
  /**
   * Record a decision: create the subject, or replace policy version, purposes and decision time
   * (keeping `restricted`, a saved `underAge: true` and the locale when the record leaves them
   * out). A decision older than the stored one changes nothing. `ledger` entries, when given, are
   * appended with it as one write where the backend can (SQLite: one transaction), so state and
   * evidence never disagree. `expiresAt` is the evidence retention.
   */
  saveDecision(
    record: Omit<SubjectRecord, 'restricted'>,
    expiresAt: Date,
    ledger?: readonly ConsentLedgerEntry[],
  ): Promise<void>;
  setLocale(subjectId: string, locale: Locale): Promise<void>;
  /** GDPR Art. 18: freeze or unfreeze processing; a restricted record's expiry is paused. */
  setRestricted(subjectId: string, restricted: boolean, at: Date): Promise<void>;
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

/** Who said a history line: the person, or the bot answering them. */
export type Speaker = 'person' | 'bot';

export interface HistoryEntryInput {
  readonly subjectId: string;
  readonly conversationId: string;
  readonly speaker: Speaker;
  readonly text: string;
  /** Set for lines a skill wants to find again, e.g. 'note' for "remember that ...". */
  readonly tag?: string;
  readonly at: Date;
}

export interface HistoryEntry extends HistoryEntryInput {
  readonly id: string;
  /** Null while the person's data is restricted (expiry paused). */
  readonly expiresAt: Date | null;
}

/** Counts and date ranges of one category, for /mydata. Never any content. */
export interface CategorySummary {
  readonly count: number;
  readonly first?: Date;
  readonly last?: Date;
  /** The earliest and latest expiry; absent while paused by a restriction. */
  readonly expiresFirst?: Date;
  readonly expiresLast?: Date;
  /** Items whose expiry is paused by a restriction. */
  readonly paused: number;
}

/**
 * Conversation history, stored only encrypted with the person's data key (the implementation
 * encrypts before it writes: a failed encryption stores nothing).
 */
export interface HistoryStore {
  append(entries: readonly HistoryEntryInput[], expiresAt: Date): Promise<void>;
  /** The newest entries first, at most `limit`, optionally only those with `tag`. */
  recent(subjectId: string, options: { limit: number; tag?: string }): Promise<HistoryEntry[]>;
  /** Every entry, oldest first, read in pages from a cursor: an export of any size. */
  iterate(subjectId: string): AsyncIterable<HistoryEntry>;
  summary(subjectId: string): Promise<CategorySummary>;
  deleteAllOf(subjectId: string): Promise<number>;
}

/** The stored values of the profile fields (src/privacy/profile-fields.ts), each optional. */
export type Profile = Partial<Record<ProfileField, string>>;

export interface ProfileRecord {
  readonly fields: Profile;
  readonly updatedAt: Date;
  readonly expiresAt: Date | null;
}

/** Which fields are set and when, without decrypting: readable even after the key is shredded. */
export interface ProfileSummary {
  readonly fields: readonly ProfileField[];
  readonly updatedAt: Date;
  readonly expiresAt: Date | null;
}

/** Profile fields, each encrypted with the person's data key. */
export interface ProfileStore {
  get(subjectId: string): Promise<ProfileRecord | null>;
  describe(subjectId: string): Promise<ProfileSummary | null>;
  /** Set or replace a field; a replaced value leaves no readable copy of itself at rest. */
  set(subjectId: string, field: ProfileField, value: string, at: Date, expiresAt: Date): Promise<void>;
  deleteAllOf(subjectId: string): Promise<boolean>;
}

/**
 * Data whose retention clock stops while processing is restricted (GDPR Art. 18) and restarts
 * where it stopped when the restriction is lifted.
 */
export interface ExpiryControl {
  pause(subjectId: string, at: Date): Promise<void>;
  resume(subjectId: string, at: Date): Promise<void>;
}

export type RightsRequestStatus = 'open' | 'completed' | 'failed';
/**
 * Where a request came from: a chat channel by its name, or `operator` for one acting on a letter
 * or an e-mail.
 */
export type RequestOrigin = ChannelName;

/** One data-subject request (GDPR Art. 12(3): answered without undue delay, within a month). */
export interface RightsRequest {
  readonly id: string;
  readonly subjectId: string;
  readonly type: RightsRequestType;
  readonly origin: RequestOrigin;
  readonly receivedAt: Date;
  readonly dueAt: Date;
  readonly completedAt?: Date;
  readonly status: RightsRequestStatus;
  /** A short, content-free result: "exported 3 history entries", an error code. */
  readonly outcome?: string;
}

export interface RightsRequestLedger {
  open(input: Omit<RightsRequest, 'id' | 'status'>, expiresAt: Date): Promise<RightsRequest>;
  /**
   * Finish an open request (a finished one stays as it was). With `supersede`, a completed request
   * also answers the subject's other open requests of its type (an earlier erasure that never
   * finished, say), in the same transaction where the backend has them; failed ones stay failed.
   */
  finish(
    id: string,
    status: 'completed' | 'failed',
    outcome: string,
    at: Date,
    options?: { readonly supersede?: boolean },
  ): Promise<void>;
  list(filter: { subjectId?: string; overdueAt?: Date; limit?: number }): Promise<RightsRequest[]>;
  /**
   * An extension (GDPR Art. 12(3), CCPA § 7021(b)): move the due date of a request that is not
   * completed to the later `dueAt`; never earlier, never on a completed request. Whether it moved.
   */
  extend(id: string, dueAt: Date): Promise<boolean>;
  /** Completed requests of `type` since `since`: the export rate limit. */
  countCompleted(subjectId: string, type: RightsRequestType, since: Date): Promise<number>;
}

/** What erasing one person's data removed, per category (counts only, never content). */
export interface ErasedData {
  readonly consentState: boolean;
  readonly conversations: number;
  readonly history: number;
  readonly profile: boolean;
}

/**
 * GDPR Art. 17: everything kept about one person outside the evidence ledgers and the data keys,
 * deleted in one go. The consent state goes with it, so no turn stores anything new for them.
 */
export interface PersonalDataEraser {
  /** One transaction where the backend has them (SQLite); else the consent state first. Idempotent. */
  eraseAllOf(subjectId: string): Promise<ErasedData>;
}

/**
 * A personal data breach as the operator recorded it (GDPR Art. 33(5); Telegram's and Discord's
 * terms ask bots to inform their users). It holds no personal data itself: who is affected is
 * either everyone or the subjects listed with it (pseudonymous ids, in the notices).
 */
export interface BreachRecord {
  /** A random id the operator can quote ("br_3f9c..."). */
  readonly id: string;
  /** A kind the bot translates (src/privacy/breach.ts) or a short description, 1-200 characters. */
  readonly what: string;
  readonly occurredAt: Date;
  /** When the operator recorded it; never before occurredAt. */
  readonly recordedAt: Date;
  /** Everyone the bot held data about when it was recorded; else only the listed subjects. */
  readonly affectsAll: boolean;
  /** The end of its evidence period: the breach and its notices go then. */
  readonly expiresAt: Date;
}

/** A breach with its notices counted, for the operator's list. */
export interface BreachOverview extends BreachRecord {
  /** Subjects listed as affected (0 for a breach that affects everyone). */
  readonly listed: number;
  /** Subjects who have been shown the notice. */
  readonly notified: number;
}

/** One person's notice of one breach, as the register holds it. */
export interface BreachNotice {
  readonly breach: BreachRecord;
  /** When they were shown it; null while it is owed (a listed person who has not written since). */
  readonly notifiedAt: Date | null;
}

/**
 * The breach register (GDPR Art. 33(5)) and who has been told (Art. 34). Like the other ledgers
 * it outlives erasure: a notice owed is still owed, and one shown is evidence that it was.
 */
export interface BreachRegister {
  /**
   * Record a breach and, unless it affects everyone, the subjects it affects (at least one, no
   * duplicates; refused with STORAGE_REJECTED otherwise, and so is an affectsAll breach with a
   * list). Nothing of it is visible before all of it is stored.
   */
  record(breach: Omit<BreachRecord, 'id'>, affected: readonly string[]): Promise<BreachRecord>;
  /**
   * The live breaches whose notice `subjectId` has not been shown: those listing them and every
   * one that affects everyone (whether the person had data by then is the caller's judgement),
   * oldest occurrence first.
   */
  pendingFor(subjectId: string): Promise<BreachRecord[]>;
  /**
   * Claim the notice for showing: true for exactly one call per live breach and subject, so
   * concurrent turns show it once. False when it was shown already, the breach is unknown or
   * expired, or it lists other subjects only (nothing is stored then).
   */
  markNotified(breachId: string, subjectId: string, at: Date): Promise<boolean>;
  /** Every live breach, oldest recorded first, with its counts. */
  list(): Promise<BreachOverview[]>;
  /**
   * What the register holds about one person (their export, GDPR Art. 15): each live breach
   * listing them, shown or not yet, and each breach affecting everyone that they were shown,
   * oldest occurrence first. Not a breach affecting everyone they were never shown: nothing
   * about them is stored for it.
   */
  noticesFor(subjectId: string): Promise<BreachNotice[]>;
}

export interface Stores {
  readonly subjects: SubjectStore;
  readonly consentLedger: ConsentLedger;
  readonly conversations: ConversationStateStore;
  readonly history: HistoryStore & ExpiryControl;
  readonly profiles: ProfileStore & ExpiryControl;
  readonly rightsRequests: RightsRequestLedger;
  readonly personalData: PersonalDataEraser;
  readonly breaches: BreachRegister;
  readonly encryptedData: EncryptedDataIndex;
  readonly usage: UsageCounts;
}

/**
 * Whose encrypted rows are stored (history entries, a profile), for the check after a data-file
 * restore (`npm run privacy -- restore-check`, GDPR Art. 32): a subject listed here without a
 * data key was erased after the backup was taken.
 */
export interface EncryptedDataIndex {
  /** Distinct subject ids with history entries or a profile, expired or not, in ascending order. */
  subjectsWithEncryptedData(): Promise<string[]>;
}

/**
 * One feature's uses on one day, summed over everyone who allowed analytics. There is no subject
 * id here, nor anything else about a person: anonymous totals, not personal data.
 */
export interface UsageCount {
  /** The UTC calendar day, "2026-11-26". */
  readonly day: string;
  /** A dialog id, or `fallback` for a message nothing understood. */
  readonly feature: string;
  /** A positive integer. */
  readonly count: number;
}

/** The `analytics` purpose's daily totals (src/privacy/usage-tally.ts writes them). */
export interface UsageCounts {
  /**
   * Add each count to its day and feature's total (creating it), as one write where the backend
   * can. A total's expiry becomes the later of its own and `expiresAt`. Refused with
   * STORAGE_REJECTED (nothing written) when a day is not YYYY-MM-DD, a feature is empty or longer
   * than 100 characters, or a count is not a positive integer.
   */
  add(counts: readonly UsageCount[], expiresAt: Date): Promise<void>;
  /** The live totals from `fromDay` to `toDay` (both included, YYYY-MM-DD), by day, then feature. */
  list(fromDay: string, toDay: string): Promise<UsageCount[]>;
}

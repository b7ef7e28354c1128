import { createHash } from 'node:crypto';
import type { ChannelName } from '../core/messages';
import type { Locale } from '../i18n/locales';
import type { ConsentDecision, ConsentLedgerEntry, Stores, SubjectRecord } from '../storage/ports';
import { evidenceExpiry } from './deadlines';
import { KeyedLock } from './keyed-lock';
import { NO_PURPOSES, PURPOSES, type Purpose, type PurposeChoices } from './purposes';

export interface DecisionInput {
  readonly subjectId: string;
  /**
   * The new choices, or how to derive them from the ones in force at the moment of the decision
   * (an objection switches one purpose off and leaves the others as they are then).
   */
  readonly choices: PurposeChoices | ((current: PurposeChoices) => PurposeChoices);
  /** The exact notice text the person saw; its hash goes into the ledger. */
  readonly noticeText: string;
  readonly locale: Locale;
  readonly channel: ChannelName;
  readonly at: Date;
  /** The person answered the age screen below CONSENT_MIN_AGE: record a refusal that sticks. */
  readonly underAge?: boolean;
}

/** How long the consent service keeps what it records. */
export interface ConsentRetention {
  /** Ledger entries and the consent state: calendar months (src/privacy/deadlines.ts). */
  readonly evidenceMonths: number;
  /** The consent state of someone below CONSENT_MIN_AGE. */
  readonly underAgeMs: number;
}

/**
 * Records consent decisions: first the deletions a withdrawal calls for, then the ledger entries
 * (the evidence, GDPR Art. 7(1)) together with the new state in one write. If a deletion fails,
 * nothing is recorded and the person is simply asked again; the deletions rerun then. One
 * person's decisions run one at a time, each from the state in force when it runs (not the one
 * its turn read at the start), so a grant racing /stop can never skip the withdrawal.
 */
export class ConsentService {
  private readonly perSubject = new KeyedLock();

  constructor(
    private readonly stores: Stores,
    private readonly policyVersion: string,
    private readonly retention: ConsentRetention,
  ) {}

  decide(request: DecisionInput): Promise<SubjectRecord> {
    return this.perSubject.run(request.subjectId, async () => {
      const previous = await this.stores.subjects.get(request.subjectId);
      return this.record(request, previous);
    });
  }

  /**
   * GDPR Art. 17(1)(b): data kept only on consent goes when the consent does. Open dialog steps go
   * with any withdrawal, history with the history consent, the profile with personalisation. A
   * purpose of your own with a store of its own adds its deletion here.
   */
  private async deleteWhatWithdrawalEnds(subjectId: string, withdrawn: readonly Purpose[]): Promise<void> {
    await this.stores.conversations.deleteAllOf(subjectId);
    if (withdrawn.includes('history')) await this.stores.history.deleteAllOf(subjectId);
    if (withdrawn.includes('personalization')) await this.stores.profiles.deleteAllOf(subjectId);
  }

  private async record(request: DecisionInput, previous: SubjectRecord | null): Promise<SubjectRecord> {
    const underAge = request.underAge === true || previous?.underAge === true;
    const wanted =
      typeof request.choices === 'function'
        ? request.choices(previous?.purposes ?? NO_PURPOSES)
        : request.choices;
    // Defence in depth: whatever a dialog asks, nobody below the consent age grants anything.
    const input = { ...request, choices: underAge ? NO_PURPOSES : wanted, underAge };
    const noticeHash = sha256(input.noticeText);
    const entries: ConsentLedgerEntry[] = PURPOSES.map((purpose) => ({
      subjectId: input.subjectId,
      purpose,
      decision: decisionFor(purpose, input.choices, previous),
      policyVersion: this.policyVersion,
      noticeHash,
      locale: input.locale,
      channel: input.channel,
      at: input.at,
    }));
    // Delete what the withdrawal ends before recording the decision: if a deletion fails, the old
    // decision still stands, so trying again sees the withdrawal again and reruns the deletions.
    const withdrawn = entries.filter((entry) => entry.decision === 'withdrawn').map((entry) => entry.purpose);
    if (withdrawn.length > 0) await this.deleteWhatWithdrawalEnds(input.subjectId, withdrawn);
    if (underAge) return this.recordUnderAge(input, previous, entries);
    const record = {
      subjectId: input.subjectId,
      policyVersion: this.policyVersion,
      purposes: input.choices,
      decidedAt: input.at,
      locale: previous?.locale ?? input.locale,
    };
    await this.stores.subjects.saveDecision(
      record,
      evidenceExpiry(input.at, this.retention.evidenceMonths),
      entries,
    );
    return { ...record, restricted: previous?.restricted ?? false };
  }

  /**
   * Below CONSENT_MIN_AGE (GDPR Art. 8, COPPA) the bot keeps only what it needs so as not to ask
   * again: the consent state row with `underAge` and no purpose, under the pseudonymous id, with
   * neither the age nor the language, for RETENTION_UNDER_AGE_DAYS (30 by default), after which
   * the person is simply asked again. Why that little, and that long:
   * - No ledger entries: the ledger proves consent (Art. 7(1)), and a child gives none; a refusal
   *   needs no proof, because nothing is processed on it. Only a withdrawal is recorded (someone
   *   who first answered "16 or older" and then "under 13" on the same screen), since it ends
   *   grants the ledger already holds.
   * - A flag at all: without it, a second tap on an older band would undo the answer; the FTC's
   *   COPPA FAQ recommends exactly this (a neutral age screen, and a technical means such as a
   *   cookie so that a child cannot go back and enter another age). Nothing in it says who the
   *   person is or how old.
   * - 30 days: long enough to stop the immediate retry, which is what the flag is for; short
   *   enough that the bot does not keep a list of children (COPPA 16 CFR 312.10: no longer than
   *   reasonably necessary). A later answer of the same person starts the period again only under
   *   a new policy version (a new question); repeating "no" or /stop changes nothing.
   * Rights requests a child makes are still kept as evidence like anyone's (GDPR Art. 5(2), CCPA
   * § 7101): they hold no content, and they prove that the child's request was answered.
   */
  private async recordUnderAge(
    input: DecisionInput & { readonly choices: PurposeChoices },
    previous: SubjectRecord | null,
    entries: readonly ConsentLedgerEntry[],
  ): Promise<SubjectRecord> {
    if (previous?.underAge && previous.policyVersion === this.policyVersion) return previous;
    const record = {
      subjectId: input.subjectId,
      policyVersion: this.policyVersion,
      purposes: NO_PURPOSES,
      decidedAt: input.at,
      ...(previous?.locale !== undefined && { locale: previous.locale }),
      underAge: true,
    };
    const withdrawals = entries.filter((entry) => entry.decision === 'withdrawn');
    const expiresAt = new Date(input.at.getTime() + this.retention.underAgeMs);
    // Evidence first, with the evidence's own retention: if the state write then fails, the person
    // still holds the old grants, is asked again, and the withdrawal is simply recorded twice.
    if (withdrawals.length > 0) {
      await this.stores.consentLedger.append(
        withdrawals,
        evidenceExpiry(input.at, this.retention.evidenceMonths),
      );
    }
    await this.stores.subjects.saveDecision(record, expiresAt);
    return { ...record, restricted: previous?.restricted ?? false };
  }
}

function decisionFor(
  purpose: Purpose,
  choices: PurposeChoices,
  previous: SubjectRecord | null,
): ConsentDecision {
  if (choices[purpose]) return 'granted';
  return previous?.purposes[purpose] ? 'withdrawn' : 'denied';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

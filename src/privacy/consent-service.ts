import { createHash } from 'node:crypto';
import type { ChannelName } from '../core/messages';
import type { Locale } from '../i18n/locales';
import type { ConsentDecision, ConsentLedgerEntry, Stores, SubjectRecord } from '../storage/ports';
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

/** Called with the purposes a person just withdrew, so the data collected for them goes too. */
export type WithdrawalHook = (subjectId: string, purposes: readonly Purpose[]) => Promise<void>;

/**
 * Records consent decisions: first the deletions a withdrawal calls for, then the ledger entries
 * (the evidence, GDPR Art. 7(1)) together with the new state in one write. If a deletion fails,
 * nothing is recorded and the person is simply asked again; the deletions rerun then. One
 * person's decisions run one at a time, each from the state in force when it runs (not the one
 * its turn read at the start), so a grant racing /stop can never skip the withdrawal.
 */
export class ConsentService {
  private readonly withdrawalHooks: WithdrawalHook[] = [];
  private readonly perSubject = new KeyedLock();

  constructor(
    private readonly stores: Stores,
    private readonly policyVersion: string,
    private readonly evidenceMs: number,
  ) {}

  onWithdrawal(hook: WithdrawalHook): void {
    this.withdrawalHooks.push(hook);
  }

  decide(request: DecisionInput): Promise<SubjectRecord> {
    return this.perSubject.run(request.subjectId, async () => {
      const previous = await this.stores.subjects.get(request.subjectId);
      return this.record(request, previous);
    });
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
    const expiresAt = new Date(input.at.getTime() + this.evidenceMs);
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
    const record = {
      subjectId: input.subjectId,
      policyVersion: this.policyVersion,
      purposes: input.choices,
      decidedAt: input.at,
      locale: previous?.locale ?? input.locale,
      ...(underAge && { underAge: true }),
    };
    // Delete what the withdrawal ends before recording the decision: if a deletion fails, the old
    // decision still stands, so trying again sees the withdrawal again and reruns the deletions.
    const withdrawn = entries.filter((entry) => entry.decision === 'withdrawn').map((entry) => entry.purpose);
    for (const hook of withdrawn.length > 0 ? this.withdrawalHooks : [])
      await hook(input.subjectId, withdrawn);
    await this.stores.subjects.saveDecision(record, expiresAt, entries);
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

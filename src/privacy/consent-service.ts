import { createHash } from 'node:crypto';
import type { ChannelName } from '../core/messages';
import type { Locale } from '../i18n/locales';
import type { ConsentDecision, ConsentLedgerEntry, Stores, SubjectRecord } from '../storage/ports';
import { NO_PURPOSES, PURPOSES, type Purpose, type PurposeChoices } from './purposes';

export interface DecisionInput {
  readonly subjectId: string;
  readonly previous: SubjectRecord | null;
  readonly choices: PurposeChoices;
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
 * nothing is recorded and the person is simply asked again; the deletions rerun then.
 */
export class ConsentService {
  private readonly withdrawalHooks: WithdrawalHook[] = [];

  constructor(
    private readonly stores: Stores,
    private readonly policyVersion: string,
    private readonly evidenceMs: number,
  ) {}

  onWithdrawal(hook: WithdrawalHook): void {
    this.withdrawalHooks.push(hook);
  }

  async decide(request: DecisionInput): Promise<SubjectRecord> {
    const underAge = request.underAge === true || request.previous?.underAge === true;
    // Defence in depth: whatever a dialog asks, nobody below the consent age grants anything.
    const input = underAge ? { ...request, choices: NO_PURPOSES, underAge } : request;
    const noticeHash = sha256(input.noticeText);
    const expiresAt = new Date(input.at.getTime() + this.evidenceMs);
    const entries: ConsentLedgerEntry[] = PURPOSES.map((purpose) => ({
      subjectId: input.subjectId,
      purpose,
      decision: decisionFor(purpose, input.choices, input.previous),
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
      locale: input.previous?.locale ?? input.locale,
      ...(underAge && { underAge: true }),
    };
    // Delete what the withdrawal ends before recording the decision: if a deletion fails, the old
    // decision still stands, so trying again sees the withdrawal again and reruns the deletions.
    const withdrawn = entries.filter((entry) => entry.decision === 'withdrawn').map((entry) => entry.purpose);
    for (const hook of withdrawn.length > 0 ? this.withdrawalHooks : [])
      await hook(input.subjectId, withdrawn);
    await this.stores.subjects.saveDecision(record, expiresAt, entries);
    return { ...record, restricted: input.previous?.restricted ?? false };
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

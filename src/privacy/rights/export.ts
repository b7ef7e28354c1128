import type { BreachNotice, HistoryEntry, Stores } from '../../storage/ports';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type ExportFile } from './export-format';

export type ExportHeader = Omit<ExportFile, 'history' | 'counts'>;

/** Filled in while the pieces are produced: how many history entries went out. */
export interface ExportCounts {
  history: number;
}

/**
 * The export as JSON text in pieces: everything small first, then the history one entry at a
 * time from a database cursor, so 10,000 messages never sit in memory as objects at once. The
 * caller writes the pieces to a file or gathers them into the attachment.
 */
export async function* exportChunks(
  stores: Stores,
  subjectId: string,
  now: Date,
  counts: ExportCounts = { history: 0 },
): AsyncGenerator<string> {
  const [subject, ledger, profile, requests, notices] = await Promise.all([
    stores.subjects.get(subjectId),
    stores.consentLedger.list(subjectId),
    stores.profiles.get(subjectId),
    stores.rightsRequests.list({ subjectId }),
    stores.breaches.noticesFor(subjectId),
  ]);
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    generatedAt: now.toISOString(),
    subject: { pseudonymousId: subjectId, restricted: subject?.restricted ?? false },
    consent: subject
      ? {
          policyVersion: subject.policyVersion,
          decidedAt: subject.decidedAt.toISOString(),
          purposes: { ...subject.purposes },
          underAge: subject.underAge === true,
        }
      : null,
    consentLedger: ledger.map((entry) => ({
      purpose: entry.purpose,
      decision: entry.decision,
      policyVersion: entry.policyVersion,
      noticeHash: entry.noticeHash,
      locale: entry.locale,
      channel: entry.channel,
      at: entry.at.toISOString(),
    })),
    profile: profile
      ? {
          fields: { ...profile.fields },
          updatedAt: profile.updatedAt.toISOString(),
          expiresAt: profile.expiresAt?.toISOString() ?? null,
        }
      : null,
    rightsRequests: requests.map((request) => ({
      id: request.id,
      type: request.type,
      origin: request.origin,
      receivedAt: request.receivedAt.toISOString(),
      dueAt: request.dueAt.toISOString(),
      ...(request.completedAt && { completedAt: request.completedAt.toISOString() }),
      status: request.status,
      ...(request.outcome !== undefined && { outcome: request.outcome }),
    })),
    breachNotices: notices.map(breachNoticeLine),
  };
  yield* renderExport(header, stores.history.iterate(subjectId), counts);
}

/**
 * The JSON text of an export: the header object with the history array and the counts spliced
 * in. Separate from the reads so the splicing is testable on its own.
 */
export async function* renderExport(
  header: ExportHeader,
  history: AsyncIterable<HistoryEntry>,
  counts: ExportCounts = { history: 0 },
): AsyncGenerator<string> {
  // The header's closing brace is replaced by the history array and the counts.
  yield `${JSON.stringify(header, null, 2).slice(0, -2)},\n  "history": [`;
  for await (const entry of history) {
    yield `${counts.history === 0 ? '' : ','}\n    ${JSON.stringify(historyLine(entry))}`;
    counts.history++;
  }
  const totals = { history: counts.history, consentLedger: header.consentLedger.length };
  yield `${counts.history === 0 ? '' : '\n  '}],\n  "counts": ${JSON.stringify(totals)}\n}\n`;
}

function breachNoticeLine({ breach, notifiedAt }: BreachNotice): ExportFile['breachNotices'][number] {
  return {
    breachId: breach.id,
    what: breach.what,
    occurredAt: breach.occurredAt.toISOString(),
    recordedAt: breach.recordedAt.toISOString(),
    affected: breach.affectsAll ? 'everyone' : 'listed',
    notifiedAt: notifiedAt?.toISOString() ?? null,
    expiresAt: breach.expiresAt.toISOString(),
  };
}

function historyLine(entry: HistoryEntry): ExportFile['history'][number] {
  return {
    at: entry.at.toISOString(),
    speaker: entry.speaker,
    text: entry.text,
    conversation: entry.conversationId,
    ...(entry.tag !== undefined && { tag: entry.tag }),
    expiresAt: entry.expiresAt?.toISOString() ?? null,
  };
}

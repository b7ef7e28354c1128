import { Types, type Connection, type Model } from 'mongoose';
import type { FieldSealer } from '../../crypto/field-sealer';
import type { StoredEncryptedField } from '../../crypto/field-cipher';
import type { CategorySummary, ExpiryControl, HistoryEntry, HistoryEntryInput, HistoryStore } from '../ports';
import { live, pauseExpiry, paused, resumeExpiry, running } from './expiry';
import { checkLimit, guarded } from './guard';
import { insertAllOrNone } from './insert-batch';
import { HISTORY_COLLECTION, type HistoryEntryDoc, historyEntryModel } from './models/history-entry';
import { type SubjectDoc, subjectModel } from './models/subject';
import { type SubjectCheck, checkSubjects, noConsentRecord } from './subject-state';
import { summarise } from './summary';

/**
 * Documents per page while an export walks the history. Pages, each its own query, rather than
 * one cursor: the export decrypts (and may wait on the KMS) between documents, and an idle
 * server-side cursor times out.
 */
const EXPORT_PAGE = 500;

type LeanHistoryDoc = Omit<HistoryEntryDoc, 'body'> & { body: StoredEncryptedField };

/**
 * Conversation history in collection `history`. Every body is sealed before the insert is even
 * built, so a KMS failure means no write at all, never a plaintext one.
 */
export class MongoHistoryStore implements HistoryStore, ExpiryControl {
  private readonly model: Model<HistoryEntryDoc>;
  private readonly subjects: Model<SubjectDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldSealer,
    private readonly clock: () => Date,
  ) {
    this.model = historyEntryModel(connection);
    this.subjects = subjectModel(connection);
  }

  async append(entries: readonly HistoryEntryInput[], expiresAt: Date): Promise<void> {
    if (entries.length === 0) return;
    const now = this.clock();
    const subjectIds = entries.map((entry) => entry.subjectId);
    // Asked before sealing, so no data key is made for someone whose data may not be kept.
    const before = await guarded('history.append', () =>
      checkSubjects(this.subjects, subjectIds, now, 'history'),
    );
    if (before.unknown.size > 0) throw noConsentRecord('history.append');
    const docs: HistoryEntryDoc[] = [];
    for (const entry of entries) {
      // Made in append order: ObjectIds from one process grow, which orders entries with equal `at`.
      const _id = new Types.ObjectId();
      const body = await this.cipher.seal(entry.subjectId, HISTORY_COLLECTION, _id.toHexString(), entry.text);
      const startsPaused = before.restricted.has(entry.subjectId);
      docs.push({
        _id,
        subjectId: entry.subjectId,
        conversationId: entry.conversationId,
        speaker: entry.speaker,
        ...(entry.tag !== undefined && { tag: entry.tag }),
        at: entry.at,
        body,
        // A restricted person's new entries start paused, with the full period left.
        ...(startsPaused
          ? { expiresAt: null, expiryRemainingMs: Math.max(0, expiresAt.getTime() - now.getTime()) }
          : { expiresAt }),
      });
    }
    await guarded('history.append', async () => {
      await insertAllOrNone(this.model, docs);
      await this.settleRaces(docs, before, now);
    });
  }

  /** A /restrict or an erasure that landed while this append was sealing (see subject-state.ts). */
  private async settleRaces(
    docs: readonly HistoryEntryDoc[],
    before: SubjectCheck,
    now: Date,
  ): Promise<void> {
    const afterwards = await checkSubjects(
      this.subjects,
      docs.map((doc) => doc.subjectId),
      now,
      'history',
    );
    const idsOf = (people: ReadonlySet<string>) =>
      docs.filter((doc) => people.has(doc.subjectId)).map((doc) => doc._id);
    if (afterwards.unknown.size > 0) {
      // What was just written must not outlive the erasure.
      await this.model.deleteMany({ _id: { $in: idsOf(afterwards.unknown) } }).exec();
      throw noConsentRecord('history.append');
    }
    const late = new Set([...afterwards.restricted].filter((id) => !before.restricted.has(id)));
    if (late.size === 0) return;
    await this.model
      .updateMany({ _id: { $in: idsOf(late) }, ...running(now) }, pauseExpiry(now), { updatePipeline: true })
      .exec();
  }

  async recent(subjectId: string, options: { limit: number; tag?: string }): Promise<HistoryEntry[]> {
    const docs = await guarded('history.recent', () => {
      checkLimit('history.recent', options.limit);
      return (
        this.model
          .find({
            subjectId,
            ...(options.tag !== undefined && { tag: options.tag }),
            ...live(this.clock()),
          })
          // Newest first; equal times newest-appended first.
          .sort({ at: -1, _id: -1 })
          .limit(options.limit)
          .lean<LeanHistoryDoc[]>()
          .exec()
      );
    });
    const entries: HistoryEntry[] = [];
    for (const doc of docs) entries.push(await this.open(doc));
    return entries;
  }

  /** Oldest first, in pages keyed by (at, _id): each page starts after the last one returned. */
  async *iterate(subjectId: string): AsyncGenerator<HistoryEntry> {
    let after: { at: Date; _id: Types.ObjectId } | undefined;
    while (true) {
      const page = await guarded('history.iterate', () =>
        this.model
          .find({
            subjectId,
            ...live(this.clock()),
            ...(after && {
              $or: [{ at: { $gt: after.at } }, { at: after.at, _id: { $gt: after._id } }],
            }),
          })
          .sort({ at: 1, _id: 1 })
          .limit(EXPORT_PAGE)
          .lean<LeanHistoryDoc[]>()
          .exec(),
      );
      for (const doc of page) yield await this.open(doc);
      const last = page.at(-1);
      if (!last || page.length < EXPORT_PAGE) return;
      after = { at: last.at, _id: last._id };
    }
  }

  summary(subjectId: string): Promise<CategorySummary> {
    return guarded('history.summary', () =>
      summarise(this.model, { subjectId, ...live(this.clock()) }, '$at'),
    );
  }

  deleteAllOf(subjectId: string): Promise<number> {
    return guarded('history.deleteAllOf', async () => {
      const result = await this.model.deleteMany({ subjectId }).exec();
      return result.deletedCount;
    });
  }

  pause(subjectId: string, at: Date): Promise<void> {
    return guarded('history.pause', async () => {
      await this.model
        .updateMany({ subjectId, ...running(at) }, pauseExpiry(at), { updatePipeline: true })
        .exec();
    });
  }

  resume(subjectId: string, at: Date): Promise<void> {
    return guarded('history.resume', async () => {
      await this.model
        .updateMany({ subjectId, ...paused() }, resumeExpiry(at), { updatePipeline: true })
        .exec();
    });
  }

  private async open(doc: LeanHistoryDoc): Promise<HistoryEntry> {
    const id = doc._id.toHexString();
    const text = await this.cipher.openText(doc.subjectId, HISTORY_COLLECTION, id, doc.body);
    return {
      id,
      subjectId: doc.subjectId,
      conversationId: doc.conversationId,
      speaker: doc.speaker,
      ...(doc.tag !== undefined && { tag: doc.tag }),
      text,
      at: doc.at,
      expiresAt: doc.expiresAt ?? null,
    };
  }
}

import { Types, type Connection, type Model } from 'mongoose';
import type { FieldSealer } from '../../crypto/field-sealer';
import type { StoredEncryptedField } from '../../crypto/field-cipher';
import type { CategorySummary, ExpiryControl, HistoryEntry, HistoryEntryInput, HistoryStore } from '../ports';
import { PAUSED, RUNNING, pauseExpiry, resumeExpiry } from './expiry-pause';
import { guarded } from './guard';
import { HISTORY_COLLECTION, type HistoryEntryDoc, historyEntryModel } from './models/history-entry';
import { summarise } from './summary';

/** Documents fetched per round trip while an export walks the cursor. */
const EXPORT_BATCH = 500;

type LeanHistoryDoc = Omit<HistoryEntryDoc, 'body'> & { body: StoredEncryptedField };

/**
 * Conversation history in collection `history`. Every body is sealed before the insert is even
 * built, so a KMS failure means no write at all, never a plaintext one.
 */
export class MongoHistoryStore implements HistoryStore, ExpiryControl {
  private readonly model: Model<HistoryEntryDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldSealer,
  ) {
    this.model = historyEntryModel(connection);
  }

  async append(entries: readonly HistoryEntryInput[], expiresAt: Date): Promise<void> {
    const docs: HistoryEntryDoc[] = [];
    for (const entry of entries) {
      const _id = new Types.ObjectId();
      const body = await this.cipher.seal(entry.subjectId, HISTORY_COLLECTION, _id.toHexString(), entry.text);
      docs.push({
        _id,
        subjectId: entry.subjectId,
        conversationId: entry.conversationId,
        speaker: entry.speaker,
        ...(entry.tag !== undefined && { tag: entry.tag }),
        at: entry.at,
        body,
        expiresAt,
      });
    }
    if (docs.length === 0) return;
    await guarded('history.append', async () => {
      await this.model.insertMany(docs, { ordered: true });
    });
  }

  async recent(subjectId: string, options: { limit: number; tag?: string }): Promise<HistoryEntry[]> {
    const docs = await guarded('history.recent', () =>
      this.model
        .find({ subjectId, ...(options.tag !== undefined && { tag: options.tag }) })
        .sort({ at: -1, _id: -1 })
        .limit(options.limit)
        .lean<LeanHistoryDoc[]>()
        .exec(),
    );
    const entries: HistoryEntry[] = [];
    for (const doc of docs) entries.push(await this.open(doc));
    return entries;
  }

  async *iterate(subjectId: string): AsyncGenerator<HistoryEntry> {
    const cursor = this.model
      .find({ subjectId })
      .sort({ at: 1, _id: 1 })
      .batchSize(EXPORT_BATCH)
      .lean<LeanHistoryDoc[]>()
      .cursor();
    try {
      while (true) {
        const doc = await guarded<LeanHistoryDoc | null>('history.iterate', () => cursor.next());
        if (!doc) return;
        yield await this.open(doc);
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  summary(subjectId: string): Promise<CategorySummary> {
    return guarded('history.summary', () => summarise(this.model, { subjectId }, '$at'));
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
        .updateMany({ subjectId, ...RUNNING }, pauseExpiry(at), { updatePipeline: true })
        .exec();
    });
  }

  resume(subjectId: string, at: Date): Promise<void> {
    return guarded('history.resume', async () => {
      await this.model
        .updateMany({ subjectId, ...PAUSED }, resumeExpiry(at), { updatePipeline: true })
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

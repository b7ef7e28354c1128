import type { Connection, Model } from 'mongoose';
import { StorageUnavailableError } from '../../core/errors';
import { type BytesLike, toBuffer } from '../../crypto/bytes';
import type { DataKeyRecord, DataKeyStore, RewrappedRecord } from '../../crypto/data-key-store-port';
import { guarded } from './guard';
import { type DataKeyDoc, dataKeyModel } from './models/data-key';

/** A `.lean()` document: Buffers come back as BSON Binary. */
type LeanDataKeyDoc = Omit<DataKeyDoc, 'wrapped'> & { wrapped: BytesLike };

const DUPLICATE_KEY = 11000;
/** A duplicate-key loser re-reads; if the winner was shredded in that instant, it inserts again. */
const INSERT_ATTEMPTS = 3;

/** The wrapped data keys in collection `data_keys` (see models/data-key.ts). */
export class MongoDataKeyStore implements DataKeyStore {
  private readonly model: Model<DataKeyDoc>;

  constructor(connection: Connection) {
    this.model = dataKeyModel(connection);
  }

  find(subjectId: string): Promise<DataKeyRecord | undefined> {
    return guarded('data_keys.find', () => this.findOne(subjectId));
  }

  insert(record: DataKeyRecord): Promise<DataKeyRecord> {
    return guarded('data_keys.insert', async () => {
      for (let attempt = 1; attempt <= INSERT_ATTEMPTS; attempt++) {
        try {
          await this.model.create({ ...record });
          return record;
        } catch (error) {
          if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
        }
        // Another worker created this subject's key first: everyone must use that one.
        const winner = await this.findOne(record.subjectId);
        if (winner) return winner;
      }
      throw new Error('data key insert kept racing with deletes');
    });
  }

  updateWrapped(
    subjectId: string,
    expected: Pick<DataKeyRecord, 'keyVersion' | 'wrapped'>,
    next: RewrappedRecord,
  ): Promise<boolean> {
    return guarded('data_keys.updateWrapped', async () => {
      const result = await this.model
        .updateOne(
          // The wrapped bytes identify the exact record read: a key re-created after a shred has
          // other bytes, so an old wrapping can never be written over it.
          { subjectId, keyVersion: expected.keyVersion, wrapped: expected.wrapped },
          {
            $set: {
              wrapped: next.wrapped,
              providerKeyId: next.providerKeyId,
              provider: next.provider,
              rotatedAt: next.rotatedAt,
            },
          },
        )
        .exec();
      return result.matchedCount === 1;
    });
  }

  delete(subjectId: string): Promise<boolean> {
    return guarded('data_keys.delete', async () => {
      const result = await this.model.deleteOne({ subjectId }).exec();
      return result.deletedCount > 0;
    });
  }

  async *iterate(batchSize: number): AsyncGenerator<DataKeyRecord> {
    let cursor: ReturnType<typeof this.openCursor> | undefined;
    try {
      cursor = this.openCursor(batchSize);
      for await (const doc of cursor) yield toRecord(doc);
    } catch (error) {
      throw new StorageUnavailableError('data_keys.iterate', error);
    } finally {
      // Also runs when the consumer stops early (break), releasing the server-side cursor.
      await cursor?.close().catch(() => undefined);
    }
  }

  // Ordered by _id, which never changes, so rewriting a record cannot make it come round again.
  private openCursor(batchSize: number) {
    return this.model.find().sort({ _id: 1 }).batchSize(batchSize).lean<LeanDataKeyDoc>().cursor();
  }

  count(): Promise<number> {
    return guarded('data_keys.count', () => this.model.countDocuments().exec());
  }

  private async findOne(subjectId: string): Promise<DataKeyRecord | undefined> {
    const doc = await this.model.findOne({ subjectId }).lean<LeanDataKeyDoc>().exec();
    return doc ? toRecord(doc) : undefined;
  }
}

function toRecord(doc: LeanDataKeyDoc): DataKeyRecord {
  return {
    subjectId: doc.subjectId,
    // Copy out of the driver's buffer: the record outlives the response it came in.
    wrapped: Buffer.from(toBuffer(doc.wrapped)),
    keyVersion: doc.keyVersion,
    providerKeyId: doc.providerKeyId,
    provider: doc.provider,
    createdAt: doc.createdAt,
    ...(doc.rotatedAt ? { rotatedAt: doc.rotatedAt } : {}),
  };
}

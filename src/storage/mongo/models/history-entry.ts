import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { EncryptedField } from '../../../crypto/field-cipher';
import { encryptedFieldSchema } from './encrypted-field.schema';
import { modelOn } from './model-on';

export const HISTORY_COLLECTION = 'history';

export interface HistoryEntryDoc {
  _id: Types.ObjectId;
  subjectId: string;
  /** HMAC of the platform conversation id, like subjectId: never the raw id. */
  conversationId: string;
  speaker: 'person' | 'bot';
  tag?: string;
  at: Date;
  /** The message text, AES-256-GCM under the person's data key, bound to this document. */
  body: EncryptedField;
  /** TTL; null while a restriction pauses it (the TTL monitor skips null). */
  expiresAt: Date | null;
  /** Time left on the clock when a restriction paused it. */
  expiryRemainingMs?: number;
}

const historyEntrySchema = new Schema<HistoryEntryDoc>(
  {
    subjectId: { type: String, required: true },
    conversationId: { type: String, required: true },
    speaker: { type: String, required: true, enum: ['person', 'bot'] },
    tag: { type: String },
    at: { type: Date, required: true },
    body: { type: encryptedFieldSchema, required: true },
    expiresAt: { type: Date, default: null },
    expiryRemainingMs: { type: Number },
  },
  { collection: HISTORY_COLLECTION, versionKey: false },
);
historyEntrySchema.index({ subjectId: 1, at: 1, _id: 1 });
// "what did I tell you?": the newest notes first, in exactly the order recent() sorts them.
historyEntrySchema.index(
  { subjectId: 1, tag: 1, at: -1, _id: -1 },
  { partialFilterExpression: { tag: { $exists: true } } },
);
historyEntrySchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function historyEntryModel(connection: Connection): Model<HistoryEntryDoc> {
  return modelOn(connection, 'HistoryEntry', historyEntrySchema);
}

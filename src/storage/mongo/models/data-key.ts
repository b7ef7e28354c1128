import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from './model-on';

export interface DataKeyDoc {
  subjectId: string;
  /** The data key as wrapped by KMS (or the local provider); the plaintext key is never stored. */
  wrapped: Buffer;
  keyVersion: number;
  providerKeyId: string;
  provider: 'aws' | 'local';
  createdAt: Date;
  rotatedAt?: Date;
}

const dataKeySchema = new Schema<DataKeyDoc>(
  {
    subjectId: { type: String, required: true },
    wrapped: { type: Buffer, required: true },
    keyVersion: { type: Number, required: true, min: 1 },
    providerKeyId: { type: String, required: true },
    provider: { type: String, required: true, enum: ['aws', 'local'] },
    createdAt: { type: Date, required: true },
    rotatedAt: { type: Date },
  },
  // No expiresAt/TTL on purpose: a key must outlive every document encrypted with it; it goes
  // only through crypto-shredding (erasure).
  { collection: 'data_keys', versionKey: false },
);
// One key per subject: two workers creating a subject's first key race on this index.
dataKeySchema.index({ subjectId: 1 }, { unique: true });

export function dataKeyModel(connection: Connection): Model<DataKeyDoc> {
  return modelOn(connection, 'DataKey', dataKeySchema);
}

import { Schema, type Connection, type Model } from 'mongoose';
import type { EncryptedField } from '../../../crypto/field-cipher';
import { encryptedFieldSchema } from './encrypted-field.schema';
import { modelOn } from './model-on';

export const PROFILE_COLLECTION = 'profiles';

export interface ProfileDoc {
  /** The subject id: one profile per person. */
  _id: string;
  /** Each value encrypted and bound to `${subjectId}/${field}`, so fields cannot be swapped. */
  fields: Record<string, EncryptedField>;
  updatedAt: Date;
  expiresAt: Date | null;
  expiryRemainingMs?: number;
}

const profileSchema = new Schema<ProfileDoc>(
  {
    _id: { type: String, required: true },
    // No default: an upsert that sets one field would clash with a default for the whole map.
    fields: { type: Map, of: encryptedFieldSchema },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
    expiryRemainingMs: { type: Number },
  },
  { collection: PROFILE_COLLECTION, versionKey: false },
);
profileSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function profileModel(connection: Connection): Model<ProfileDoc> {
  return modelOn(connection, 'Profile', profileSchema);
}

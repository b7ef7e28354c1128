import type { Connection, Model } from 'mongoose';
import type { FieldSealer } from '../../crypto/field-sealer';
import type { StoredEncryptedField } from '../../crypto/field-cipher';
import {
  PROFILE_FIELDS,
  type ExpiryControl,
  type Profile,
  type ProfileField,
  type ProfileRecord,
  type ProfileStore,
  type ProfileSummary,
} from '../ports';
import { PAUSED, RUNNING, pauseExpiry, resumeExpiry } from './expiry-pause';
import { guarded } from './guard';
import { PROFILE_COLLECTION, type ProfileDoc, profileModel } from './models/profile';

type LeanProfileDoc = Omit<ProfileDoc, 'fields'> & { fields?: Record<string, StoredEncryptedField> };

/** Profile fields in collection `profiles`, one document per person, each value encrypted. */
export class MongoProfileStore implements ProfileStore, ExpiryControl {
  private readonly model: Model<ProfileDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldSealer,
  ) {
    this.model = profileModel(connection);
  }

  async get(subjectId: string): Promise<ProfileRecord | null> {
    const doc = await guarded('profiles.get', () =>
      this.model.findById(subjectId).lean<LeanProfileDoc>().exec(),
    );
    if (!doc) return null;
    const fields: Profile = {};
    for (const field of PROFILE_FIELDS) {
      const stored = doc.fields?.[field];
      if (stored)
        fields[field] = await this.cipher.openText(
          subjectId,
          PROFILE_COLLECTION,
          binding(subjectId, field),
          stored,
        );
    }
    return { fields, updatedAt: doc.updatedAt, expiresAt: doc.expiresAt ?? null };
  }

  describe(subjectId: string): Promise<ProfileSummary | null> {
    return guarded('profiles.describe', async () => {
      const doc = await this.model.findById(subjectId).lean<LeanProfileDoc>().exec();
      if (!doc) return null;
      const fields = PROFILE_FIELDS.filter((field) => doc.fields?.[field] !== undefined);
      return { fields, updatedAt: doc.updatedAt, expiresAt: doc.expiresAt ?? null };
    });
  }

  async set(subjectId: string, field: ProfileField, value: string, at: Date, expiresAt: Date): Promise<void> {
    const sealed = await this.cipher.seal(subjectId, PROFILE_COLLECTION, binding(subjectId, field), value);
    await guarded('profiles.set', async () => {
      await this.model
        .updateOne(
          { _id: subjectId },
          {
            $set: { [`fields.${field}`]: sealed, updatedAt: at, expiresAt },
            $unset: { expiryRemainingMs: 1 },
          },
          // Validators check the sealed field's shape (IV and tag lengths, ciphertext present).
          { upsert: true, runValidators: true },
        )
        .exec();
    });
  }

  deleteAllOf(subjectId: string): Promise<boolean> {
    return guarded('profiles.deleteAllOf', async () => {
      const result = await this.model.deleteOne({ _id: subjectId }).exec();
      return result.deletedCount > 0;
    });
  }

  pause(subjectId: string, at: Date): Promise<void> {
    return guarded('profiles.pause', async () => {
      await this.model
        .updateOne({ _id: subjectId, ...RUNNING }, pauseExpiry(at), { updatePipeline: true })
        .exec();
    });
  }

  resume(subjectId: string, at: Date): Promise<void> {
    return guarded('profiles.resume', async () => {
      await this.model
        .updateOne({ _id: subjectId, ...PAUSED }, resumeExpiry(at), { updatePipeline: true })
        .exec();
    });
  }
}

/** The AAD document id: the person and the field, so one field's ciphertext cannot stand in for another. */
function binding(subjectId: string, field: ProfileField): string {
  return `${subjectId}/${field}`;
}

import type { Connection, Model, UpdateAggregationStage } from 'mongoose';
import type { FieldSealer } from '../../crypto/field-sealer';
import type { EncryptedField, StoredEncryptedField } from '../../crypto/field-cipher';
import { PROFILE_FIELDS, type ProfileField } from '../../privacy/profile-fields';
import type { ExpiryControl, Profile, ProfileRecord, ProfileStore, ProfileSummary } from '../ports';
import { forgetIfExpired, live, pauseExpiry, paused, resumeExpiry, running } from './expiry';
import { guarded } from './guard';
import { PROFILE_COLLECTION, type ProfileDoc, profileModel } from './models/profile';
import { type SubjectDoc, subjectModel } from './models/subject';
import { checkSubjects, noConsentRecord } from './subject-state';

type LeanProfileDoc = Omit<ProfileDoc, 'fields'> & { fields?: Record<string, StoredEncryptedField> };

/** Profile fields in collection `profiles`, one document per person, each value encrypted. */
export class MongoProfileStore implements ProfileStore, ExpiryControl {
  private readonly model: Model<ProfileDoc>;
  private readonly subjects: Model<SubjectDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldSealer,
    private readonly clock: () => Date,
  ) {
    this.model = profileModel(connection);
    this.subjects = subjectModel(connection);
  }

  async get(subjectId: string): Promise<ProfileRecord | null> {
    const doc = await guarded('profiles.get', () => this.findLive(subjectId));
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
      const doc = await this.findLive(subjectId);
      if (!doc) return null;
      const fields = PROFILE_FIELDS.filter((field) => doc.fields?.[field] !== undefined);
      return { fields, updatedAt: doc.updatedAt, expiresAt: doc.expiresAt ?? null };
    });
  }

  async set(subjectId: string, field: ProfileField, value: string, at: Date, expiresAt: Date): Promise<void> {
    const now = this.clock();
    // Asked before sealing, so no data key is made for someone whose data may not be kept.
    const before = await guarded('profiles.set', () =>
      checkSubjects(this.subjects, [subjectId], now, 'personalization'),
    );
    if (before.unknown.size > 0) throw noConsentRecord('profiles.set');
    // Sealed before anything is written: if the KMS fails, the old value stays as it was.
    const sealed = await this.cipher.seal(subjectId, PROFILE_COLLECTION, binding(subjectId, field), value);
    await guarded('profiles.set', async () => {
      // The update is a pipeline, which mongoose neither casts nor validates: check the sealed
      // field's shape (IV and tag lengths, ciphertext present) here.
      await new this.model({
        _id: subjectId,
        fields: { [field]: sealed },
        updatedAt: at,
        expiresAt,
      }).validate();
      const restricted = before.restricted.has(subjectId);
      await this.model
        .updateOne({ _id: subjectId }, setPipeline(field, sealed, at, expiresAt, restricted, now), {
          upsert: true,
          updatePipeline: true,
          // Schema defaults on insert are made for operator updates; the pipeline sets every field.
          setDefaultsOnInsert: false,
        })
        .exec();
      await this.settleRaces(subjectId, restricted, now);
    });
  }

  /** A /restrict or an erasure that landed while this write was sealing (see subject-state.ts). */
  private async settleRaces(subjectId: string, wasRestricted: boolean, now: Date): Promise<void> {
    const afterwards = await checkSubjects(this.subjects, [subjectId], now, 'personalization');
    if (afterwards.unknown.size > 0) {
      // What was just written must not outlive the erasure.
      await this.model.deleteOne({ _id: subjectId }).exec();
      throw noConsentRecord('profiles.set');
    }
    if (wasRestricted || !afterwards.restricted.has(subjectId)) return;
    await this.model
      .updateOne({ _id: subjectId, ...running(now) }, pauseExpiry(now), { updatePipeline: true })
      .exec();
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
        .updateOne({ _id: subjectId, ...running(at) }, pauseExpiry(at), { updatePipeline: true })
        .exec();
    });
  }

  resume(subjectId: string, at: Date): Promise<void> {
    return guarded('profiles.resume', async () => {
      await this.model
        .updateOne({ _id: subjectId, ...paused() }, resumeExpiry(at), { updatePipeline: true })
        .exec();
    });
  }

  private findLive(subjectId: string): Promise<LeanProfileDoc | null> {
    return this.model
      .findOne({ _id: subjectId, ...live(this.clock()) })
      .lean<LeanProfileDoc>()
      .exec();
  }
}

/**
 * One field written and the clock moved, in one update. For a restricted person (P2) the clock
 * stays paused, with the new period left, rather than restarting when they correct a field.
 */
function setPipeline(
  field: ProfileField,
  sealed: EncryptedField,
  at: Date,
  expiresAt: Date,
  restricted: boolean,
  now: Date,
): UpdateAggregationStage[] {
  const clock = restricted
    ? { expiresAt: null, expiryRemainingMs: Math.max(0, expiresAt.getTime() - at.getTime()) }
    : { expiresAt };
  return [
    // The other fields of an expired profile must not come back under the new clock.
    forgetIfExpired(now),
    // $literal: pipelines are not cast, and the value is data, never an expression.
    { $set: { [`fields.${field}`]: { $literal: sealed }, updatedAt: at, ...clock } },
    ...(restricted ? [] : [{ $unset: 'expiryRemainingMs' }]),
  ];
}

/** The AAD document id: the person and the field, so one field's ciphertext cannot stand in for another. */
function binding(subjectId: string, field: ProfileField): string {
  return `${subjectId}/${field}`;
}

import type Database from 'better-sqlite3';
import type { FieldSealer } from '../../crypto/field-sealer';
import { PROFILE_FIELDS, type ProfileField, isProfileField } from '../../privacy/profile-fields';
import type { ExpiryControl, Profile, ProfileRecord, ProfileStore, ProfileSummary } from '../ports';
import { expiryStatements, noConsent, standingStatement } from './expiry';
import { guarded } from './guard';
import type { EmptyWal } from './open-database';
import { packSealed, unpackSealed } from './sealed-blob';

export const PROFILE_TABLE = 'profiles';

interface ProfileRow {
  updated_at: number;
  expires_at: number | null;
}

/**
 * Profile fields in `profiles` (one row per person: when, and until when) and `profile_fields`
 * (one row per field, sealed, bound to `subject/field` so one field's ciphertext cannot stand in
 * for another's). Deleting the profile row deletes its fields (foreign key, cascade).
 */
export class SqliteProfileStore implements ProfileStore, ExpiryControl {
  private readonly selectProfile;
  private readonly selectFields;
  private readonly write;
  private readonly storedValue;
  private readonly remove;
  private readonly expiry;

  constructor(
    db: Database.Database,
    private readonly sealer: FieldSealer,
    private readonly clock: () => Date,
    private readonly emptyWal: EmptyWal,
  ) {
    this.selectProfile = db.prepare<[string, number], ProfileRow>(`
      SELECT updated_at, expires_at FROM profiles
      WHERE subject_id = ? AND (expires_at IS NULL OR expires_at > ?)`);
    this.selectFields = db.prepare<[string], { field: string; value: Buffer }>(
      `SELECT field, value FROM profile_fields WHERE subject_id = ? ORDER BY field`,
    );
    const upsertProfile = db.prepare(`
      INSERT INTO profiles (subject_id, updated_at, expires_at, expiry_remaining_ms)
      VALUES (@subjectId, @at, @expiresAt, @remaining)
      ON CONFLICT (subject_id) DO UPDATE SET updated_at = excluded.updated_at,
        expires_at = excluded.expires_at, expiry_remaining_ms = excluded.expiry_remaining_ms`);
    const upsertField = db.prepare(`
      INSERT INTO profile_fields (subject_id, field, value) VALUES (@subjectId, @field, @value)
      ON CONFLICT (subject_id, field) DO UPDATE SET value = excluded.value`);
    const standing = standingStatement(db, 'personalization');
    const storedValue = db.prepare<[string, string], { value: Buffer }>(
      `SELECT value FROM profile_fields WHERE subject_id = ? AND field = ?`,
    );
    this.storedValue = (subjectId: string, field: string) => storedValue.get(subjectId, field)?.value;
    this.write = db.transaction(
      (row: { subjectId: string; field: string; value: Buffer; at: number; expiresAt: number }) => {
        // Re-checked inside the write, as for history: nothing for a person erased or withdrawn
        // meanwhile, and a restricted person's profile keeps its clock paused.
        const { allowed, restricted: paused } = standing(row.subjectId, this.clock().getTime());
        if (!allowed) throw noConsent('profiles.set');
        upsertProfile.run({
          subjectId: row.subjectId,
          at: row.at,
          expiresAt: paused ? null : row.expiresAt,
          remaining: paused ? Math.max(0, row.expiresAt - row.at) : null,
        });
        const previous = this.storedValue(row.subjectId, row.field);
        upsertField.run({ subjectId: row.subjectId, field: row.field, value: row.value });
        return previous;
      },
    );
    this.remove = db.prepare(`DELETE FROM profiles WHERE subject_id = ?`);
    this.expiry = expiryStatements(db, PROFILE_TABLE);
  }

  async get(subjectId: string): Promise<ProfileRecord | null> {
    const found = await guarded('profiles.get', () => {
      const profile = this.selectProfile.get(subjectId, this.clock().getTime());
      return profile ? { profile, fields: this.selectFields.all(subjectId) } : undefined;
    });
    if (!found) return null;
    const fields: Profile = {};
    for (const { field, value } of found.fields) {
      if (!isProfileField(field)) continue;
      fields[field] = await this.sealer.openText(
        subjectId,
        PROFILE_TABLE,
        binding(subjectId, field),
        unpackSealed(value),
      );
    }
    return {
      fields,
      updatedAt: new Date(found.profile.updated_at),
      expiresAt: toDate(found.profile.expires_at),
    };
  }

  describe(subjectId: string): Promise<ProfileSummary | null> {
    return guarded('profiles.describe', () => {
      const profile = this.selectProfile.get(subjectId, this.clock().getTime());
      if (!profile) return null;
      const stored = new Set(this.selectFields.all(subjectId).map((row) => row.field));
      return {
        fields: PROFILE_FIELDS.filter((field) => stored.has(field)),
        updatedAt: new Date(profile.updated_at),
        expiresAt: toDate(profile.expires_at),
      };
    });
  }

  async set(subjectId: string, field: ProfileField, value: string, at: Date, expiresAt: Date): Promise<void> {
    // Sealed first: if the KMS fails, the old value stays as it was.
    const sealed = await this.sealer.seal(subjectId, PROFILE_TABLE, binding(subjectId, field), value);
    const unchanged = await this.storedCopyOf(subjectId, field, value);
    await guarded('profiles.set', () => {
      const previous = this.write({
        subjectId,
        field,
        value: packSealed(sealed),
        at: at.getTime(),
        expiresAt: expiresAt.getTime(),
      });
      // A corrected value must leave no readable copy of the old one at rest: the WAL still holds
      // the page as it was until a checkpoint (see truncateWal). A value set again unchanged
      // leaves only a copy of what the row holds anyway, so it costs no checkpoint.
      if (previous && !unchanged?.equals(previous)) this.emptyWal();
    });
  }

  /** The stored ciphertext of `field` when it already holds `value`, else undefined. */
  private async storedCopyOf(
    subjectId: string,
    field: ProfileField,
    value: string,
  ): Promise<Buffer | undefined> {
    const stored = await guarded('profiles.set', () => this.storedValue(subjectId, field));
    if (!stored) return undefined;
    try {
      const text = await this.sealer.openText(
        subjectId,
        PROFILE_TABLE,
        binding(subjectId, field),
        unpackSealed(stored),
      );
      return text === value ? stored : undefined;
    } catch {
      // Unreadable (a key shredded meanwhile): treated as a different value.
      return undefined;
    }
  }

  deleteAllOf(subjectId: string): Promise<boolean> {
    return guarded('profiles.deleteAllOf', () => {
      const deleted = this.remove.run(subjectId).changes > 0;
      if (deleted) this.emptyWal();
      return deleted;
    });
  }

  pause(subjectId: string, at: Date): Promise<void> {
    return guarded('profiles.pause', () => void this.expiry.pause.run({ subjectId, at: at.getTime() }));
  }

  resume(subjectId: string, at: Date): Promise<void> {
    return guarded('profiles.resume', () => void this.expiry.resume.run({ subjectId, at: at.getTime() }));
  }
}

/** The AAD document id: the person and the field. */
function binding(subjectId: string, field: ProfileField): string {
  return `${subjectId}/${field}`;
}

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

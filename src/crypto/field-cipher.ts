import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AppError } from '../core/errors';
import { type BytesLike, toBuffer } from './bytes';
import { DATA_KEY_BYTES } from './key-provider';
import { pooledRandomBytes } from './random-pool';

/** Bumped when the layout or the AAD recipe changes; part of the AAD so old readers refuse new data. */
export const FIELD_FORMAT_VERSION = 1;

const ALGORITHM = 'aes-256-gcm';
/** 96-bit IVs are the GCM fast path; random ones are safe far beyond one subject's messages. */
const IV_BYTES = 12;
/** Full-length tags only: Node accepts truncated GCM tags unless told otherwise. */
const TAG_BYTES = 16;

/** One encrypted value as stored in MongoDB (see storage/mongo/models/encrypted-field.schema.ts). */
export interface EncryptedField {
  /** Format version. */
  v: number;
  /** Version of the subject's data key that encrypted it. */
  kv: number;
  iv: Buffer;
  tag: Buffer;
  ct: Buffer;
}

/** The same shape as read back from storage, where bytes may be a BSON Binary. */
export interface StoredEncryptedField {
  v: number;
  kv: number;
  iv: BytesLike;
  tag: BytesLike;
  ct: BytesLike;
}

/**
 * Where a value lives. Bound into the AAD so a ciphertext copied to another document, collection
 * or subject fails to decrypt instead of showing one person's data as another's.
 */
export interface FieldBinding {
  readonly subjectId: string;
  readonly collection: string;
  readonly documentId: string;
}

export interface FieldKey {
  readonly key: Buffer;
  readonly keyVersion: number;
}

export function encryptField(
  dataKey: FieldKey,
  plaintext: string | Buffer,
  binding: FieldBinding,
): EncryptedField {
  // A wrong-length key is a programming error, not bad data: fail before anything is written.
  if (dataKey.key.length !== DATA_KEY_BYTES) throw new RangeError('data key has the wrong length');
  const iv = pooledRandomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, dataKey.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(fieldAad(FIELD_FORMAT_VERSION, dataKey.keyVersion, binding));
  const input = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ct = Buffer.concat([cipher.update(input), cipher.final()]);
  return { v: FIELD_FORMAT_VERSION, kv: dataKey.keyVersion, iv, tag: cipher.getAuthTag(), ct };
}

/** Throws AppError('DECRYPT_FAILED') on any tampering or mismatch; never returns unauthenticated bytes. */
export function decryptField(key: Buffer, field: StoredEncryptedField, binding: FieldBinding): Buffer {
  const iv = toBuffer(field.iv);
  const tag = toBuffer(field.tag);
  if (
    key.length !== DATA_KEY_BYTES ||
    field.v !== FIELD_FORMAT_VERSION ||
    iv.length !== IV_BYTES ||
    tag.length !== TAG_BYTES
  ) {
    throw new AppError('DECRYPT_FAILED', 'encrypted field has an unknown format');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(fieldAad(field.v, field.kv, binding));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(toBuffer(field.ct)), decipher.final()]);
  } catch (error) {
    throw new AppError('DECRYPT_FAILED', 'encrypted field failed authentication', { cause: error });
  }
}

/** A JSON array is an unambiguous encoding: no choice of ids can make two bindings collide. */
function fieldAad(formatVersion: number, keyVersion: number, binding: FieldBinding): Buffer {
  return Buffer.from(
    JSON.stringify([
      'pfc-field',
      formatVersion,
      keyVersion,
      binding.subjectId,
      binding.collection,
      binding.documentId,
    ]),
    'utf8',
  );
}

import type { EncryptedField, StoredEncryptedField } from '../../crypto/field-cipher';
import { StorageRejectedError } from '../../core/errors';

/**
 * One sealed field as one BLOB: format version (1 byte), key version (4 bytes), IV length and
 * IV, tag length and tag, then the ciphertext. The lengths are stored so a later format with
 * other sizes still parses; the cipher itself checks that they are the ones it accepts.
 */
export function packSealed(field: EncryptedField): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(field.v, 0);
  header.writeUInt32BE(field.kv, 1);
  return Buffer.concat([
    header,
    Buffer.from([field.iv.length]),
    field.iv,
    Buffer.from([field.tag.length]),
    field.tag,
    field.ct,
  ]);
}

export function unpackSealed(blob: Buffer): StoredEncryptedField {
  let offset = 5;
  const take = (): Buffer => {
    const length = blob.readUInt8(offset);
    const part = blob.subarray(offset + 1, offset + 1 + length);
    if (part.length !== length)
      throw new StorageRejectedError('unpack sealed field', new RangeError('truncated'));
    offset += 1 + length;
    return part;
  };
  if (blob.length < 7) throw new StorageRejectedError('unpack sealed field', new RangeError('truncated'));
  const v = blob.readUInt8(0);
  const kv = blob.readUInt32BE(1);
  const iv = take();
  const tag = take();
  return { v, kv, iv, tag, ct: blob.subarray(offset) };
}

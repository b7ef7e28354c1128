import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import {
  type EncryptedField,
  FIELD_FORMAT_VERSION,
  type FieldBinding,
  decryptField,
  encryptField,
} from '../../../src/crypto/field-cipher';
import { encryptedFieldSchema } from '../../../src/storage/mongo/models/encrypted-field.schema';

const key = randomBytes(32);
const dataKey = { key, keyVersion: 3 };
const binding: FieldBinding = { subjectId: 'subject-1', collection: 'messages', documentId: 'doc-1' };

function flipByte(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

describe('field cipher', () => {
  it('round-trips text, binary and empty values', () => {
    for (const value of ['Hello, Grüße, 你好 👋', '']) {
      const field = encryptField(dataKey, value, binding);
      expect(decryptField(key, field, binding).toString('utf8')).toBe(value);
    }
    const bytes = randomBytes(100);
    expect(decryptField(key, encryptField(dataKey, bytes, binding), binding).equals(bytes)).toBe(true);
  });

  it('stores the documented shape with a fresh 12-byte IV and a full 16-byte tag', () => {
    const first = encryptField(dataKey, 'same text', binding);
    const second = encryptField(dataKey, 'same text', binding);
    expect(first).toMatchObject({ v: FIELD_FORMAT_VERSION, kv: 3 });
    expect(first.iv).toHaveLength(12);
    expect(first.tag).toHaveLength(16);
    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.ct.equals(second.ct)).toBe(false);
    expect(first.ct.includes(Buffer.from('same text'))).toBe(false);
  });

  describe('refuses with DECRYPT_FAILED', () => {
    const field = encryptField(dataKey, 'a private message', binding);
    // Objects, not arrays: jest reads a callback parameter beyond a row's length as `done`.
    const cases: Array<{ name: string; candidate: EncryptedField; where?: FieldBinding; withKey?: Buffer }> =
      [
        { name: 'a tampered ciphertext', candidate: { ...field, ct: flipByte(field.ct, 5) } },
        { name: 'a tampered tag', candidate: { ...field, tag: flipByte(field.tag) } },
        { name: 'a truncated tag', candidate: { ...field, tag: field.tag.subarray(0, 4) } },
        { name: 'a tampered IV', candidate: { ...field, iv: flipByte(field.iv) } },
        { name: 'an edited key version', candidate: { ...field, kv: 4 } },
        { name: 'an unknown format version', candidate: { ...field, v: 2 } },
        {
          name: 'a value moved to another document',
          candidate: field,
          where: { ...binding, documentId: 'doc-2' },
        },
        {
          name: 'a value moved to another collection',
          candidate: field,
          where: { ...binding, collection: 'profiles' },
        },
        {
          name: 'a value moved to another subject',
          candidate: field,
          where: { ...binding, subjectId: 'subject-2' },
        },
        { name: 'another key', candidate: field, withKey: randomBytes(32) },
        { name: 'a wrong-length key', candidate: field, withKey: randomBytes(16) },
      ];
    it.each(cases)('$name', ({ candidate, where, withKey }) => {
      expect(() => decryptField(withKey ?? key, candidate, where ?? binding)).toThrow(
        expect.objectContaining({ code: 'DECRYPT_FAILED' }),
      );
    });

    it('and the untouched field still decrypts (the cases above are not failing for another reason)', () => {
      expect(decryptField(key, field, binding).toString()).toBe('a private message');
    });
  });

  it('does not let crafted ids shift bytes between binding fields', () => {
    const field = encryptField(dataKey, 'x', { subjectId: 'a', collection: 'b:c', documentId: 'd' });
    expect(() => decryptField(key, field, { subjectId: 'a', collection: 'b', documentId: 'c:d' })).toThrow(
      expect.objectContaining({ code: 'DECRYPT_FAILED' }),
    );
  });

  it('reads bytes as BSON Binary (lean queries) or Uint8Array', () => {
    const field = encryptField(dataKey, 'lean read', binding);
    const asBinary = (buffer: Buffer) => ({ value: () => new Uint8Array(buffer) });
    const stored = {
      v: field.v,
      kv: field.kv,
      iv: asBinary(field.iv),
      tag: new Uint8Array(field.tag),
      ct: asBinary(field.ct),
    };
    expect(decryptField(key, stored, binding).toString()).toBe('lean read');
  });

  it('refuses to encrypt with a wrong-length key', () => {
    expect(() => encryptField({ key: randomBytes(31), keyVersion: 1 }, 'x', binding)).toThrow(RangeError);
  });
});

describe('encryptedFieldSchema', () => {
  // A connection that never connects: validation needs no server.
  const connection = mongoose.createConnection();
  const Note = connection.model(
    'Note',
    new mongoose.Schema({ body: { type: encryptedFieldSchema, required: true } }),
  );

  it('accepts what the cipher produces, empty plaintext included', async () => {
    await expect(
      new Note({ body: encryptField(dataKey, 'hi', binding) }).validate(),
    ).resolves.toBeUndefined();
    await expect(new Note({ body: encryptField(dataKey, '', binding) }).validate()).resolves.toBeUndefined();
  });

  it('rejects fields with a wrong-length IV or tag, or missing parts', async () => {
    const field = encryptField(dataKey, 'hi', binding);
    await expect(new Note({ body: { ...field, iv: randomBytes(8) } }).validate()).rejects.toThrow(/iv/);
    await expect(new Note({ body: { ...field, tag: randomBytes(4) } }).validate()).rejects.toThrow(/tag/);
    await expect(
      new Note({ body: { v: 1, kv: 1, iv: field.iv, tag: field.tag } }).validate(),
    ).rejects.toThrow(/ct/);
  });
});

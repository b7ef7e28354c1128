import { Schema } from 'mongoose';
import type { EncryptedField } from '../../../crypto/field-cipher';

const exactLength = (length: number) => ({
  validator: (value: Buffer) => Buffer.isBuffer(value) && value.length === length,
  message: `must be exactly ${length} bytes`,
});

/**
 * Embed wherever a personal value is stored, e.g. `body: { type: encryptedFieldSchema, required: true }`.
 * Produced by EnvelopeCipher.seal; read back with EnvelopeCipher.open (lean() results work too).
 */
export const encryptedFieldSchema = new Schema<EncryptedField>(
  {
    v: { type: Number, required: true, min: 1 },
    kv: { type: Number, required: true, min: 1 },
    iv: { type: Buffer, required: true, validate: exactLength(12) },
    tag: { type: Buffer, required: true, validate: exactLength(16) },
    // Not `required`: mongoose treats an empty Buffer as missing, yet '' is a valid plaintext.
    // Presence is checked in the pre-validate hook below instead.
    ct: { type: Buffer },
  },
  { _id: false, versionKey: false },
);

// Validators do not run on absent values, so a missing ciphertext is caught here.
encryptedFieldSchema.pre('validate', function requireCiphertext() {
  if (!Buffer.isBuffer(this.ct)) this.invalidate('ct', 'ciphertext is required');
});

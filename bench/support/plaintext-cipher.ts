/**
 * A pass-through FieldSealer for the benchmark's "plaintext storage" variant, and nowhere else:
 * the product has no switch that stores content in clear, so the only way to measure what
 * encryption costs is to hand the same stores (backend.createStores) this sealer from bench/.
 *
 * It keeps the stored shape of an encrypted field ({ v, kv, iv, tag, ct }, with a zero IV and tag
 * of the real lengths, so the stores' checks pass and rows are the same size) and puts the
 * plaintext bytes in `ct`. No data key is fetched, so no KMS call and no key-cache lookup.
 */
import { toBuffer } from '../../src/crypto/bytes';
import { INITIAL_KEY_VERSION } from '../../src/crypto/data-key-service';
import {
  type EncryptedField,
  FIELD_FORMAT_VERSION,
  type StoredEncryptedField,
} from '../../src/crypto/field-cipher';
import type { FieldSealer } from '../../src/crypto/field-sealer';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class PlaintextSealer implements FieldSealer {
  seal(
    _subjectId: string,
    _collection: string,
    _documentId: string,
    plaintext: string | Buffer,
  ): Promise<EncryptedField> {
    return Promise.resolve({
      v: FIELD_FORMAT_VERSION,
      kv: INITIAL_KEY_VERSION,
      iv: Buffer.alloc(IV_BYTES),
      tag: Buffer.alloc(TAG_BYTES),
      // A copy, like encryption produces new bytes: the caller may wipe its own buffer.
      ct: typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext),
    });
  }

  openText(
    _subjectId: string,
    _collection: string,
    _documentId: string,
    field: StoredEncryptedField,
  ): Promise<string> {
    return Promise.resolve(toBuffer(field.ct).toString('utf8'));
  }
}

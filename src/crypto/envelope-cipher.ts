import type { DataKeyService } from './data-key-service';
import { type EncryptedField, type StoredEncryptedField, decryptField, encryptField } from './field-cipher';
import type { FieldSealer } from './field-sealer';

/**
 * What storage code calls: encrypt or decrypt one field of one document for one subject. It
 * fetches the subject's data key (a cache hit on a warm turn) and wipes its copy right after use.
 */
export class EnvelopeCipher implements FieldSealer {
  constructor(private readonly dataKeys: DataKeyService) {}

  /** Creates the subject's data key on first use. */
  async seal(
    subjectId: string,
    collection: string,
    documentId: string,
    plaintext: string | Buffer,
  ): Promise<EncryptedField> {
    const dataKey = await this.dataKeys.keyForWrite(subjectId);
    try {
      return encryptField(dataKey, plaintext, { subjectId, collection, documentId });
    } finally {
      dataKey.key.fill(0);
    }
  }

  /**
   * Throws AppError('KEY_SHREDDED') once the subject was erased, AppError('DECRYPT_FAILED') when
   * the field was altered or belongs to another document, collection or subject.
   */
  async open(
    subjectId: string,
    collection: string,
    documentId: string,
    field: StoredEncryptedField,
  ): Promise<Buffer> {
    const dataKey = await this.dataKeys.keyForRead(subjectId);
    try {
      return decryptField(dataKey.key, field, { subjectId, collection, documentId });
    } finally {
      dataKey.key.fill(0);
    }
  }

  /** `open` for text fields (message bodies, profile values). */
  async openText(
    subjectId: string,
    collection: string,
    documentId: string,
    field: StoredEncryptedField,
  ): Promise<string> {
    const plaintext = await this.open(subjectId, collection, documentId, field);
    try {
      return plaintext.toString('utf8');
    } finally {
      plaintext.fill(0);
    }
  }
}

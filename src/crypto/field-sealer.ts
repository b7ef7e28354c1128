import type { EncryptedField, StoredEncryptedField } from './field-cipher';

/**
 * What the stores (SQLite and MongoDB) need from encryption: seal one field of one document for one subject,
 * and open it again as text. EnvelopeCipher is the one implementation in the product; the port
 * exists so the stores do not depend on how a field is sealed (the benchmark measures the cost of
 * encryption by handing the same stores a pass-through sealer of its own, in bench/ only).
 */
export interface FieldSealer {
  seal(
    subjectId: string,
    collection: string,
    documentId: string,
    plaintext: string | Buffer,
  ): Promise<EncryptedField>;

  openText(
    subjectId: string,
    collection: string,
    documentId: string,
    field: StoredEncryptedField,
  ): Promise<string>;
}

import type { KeyProviderName } from './key-provider';

/** One subject's wrapped data key, as stored (collection `data_keys`). Never holds key material. */
export interface DataKeyRecord {
  readonly subjectId: string;
  readonly wrapped: Buffer;
  /**
   * Version of the data key material (the `kv` in every encrypted field). Rotation re-wraps the
   * same key, so it stays; it would only change if a subject's data were re-keyed.
   */
  readonly keyVersion: number;
  readonly providerKeyId: string;
  readonly provider: KeyProviderName;
  readonly createdAt: Date;
  readonly rotatedAt?: Date;
}

/** What a rotation writes back. */
export interface RewrappedRecord {
  readonly wrapped: Buffer;
  readonly providerKeyId: string;
  readonly provider: KeyProviderName;
  readonly rotatedAt: Date;
}

/**
 * Storage port for wrapped data keys; src/storage/mongo/data-key-store.ts implements it.
 * Storage failures surface as StorageUnavailableError, never as "no key".
 */
export interface DataKeyStore {
  find(subjectId: string): Promise<DataKeyRecord | undefined>;

  /**
   * Insert unless the subject already has a key (unique subject id). Returns the record that
   * is stored afterwards: this one, or the one another worker inserted first.
   */
  insert(record: DataKeyRecord): Promise<DataKeyRecord>;

  /**
   * Replace the wrapping only if the stored record is still the one that was read (same key
   * version and same wrapped bytes). Returns false when it changed meanwhile, so a rotation never
   * writes an old wrapped key over a key created after a shred, nor over a newer rotation.
   */
  updateWrapped(
    subjectId: string,
    expected: Pick<DataKeyRecord, 'keyVersion' | 'wrapped'>,
    next: RewrappedRecord,
  ): Promise<boolean>;

  /** Crypto-shredding: returns whether a key existed. */
  delete(subjectId: string): Promise<boolean>;

  /** Every record, in a stable order, fetched `batchSize` at a time. */
  iterate(batchSize: number): AsyncIterable<DataKeyRecord>;

  count(): Promise<number>;
}

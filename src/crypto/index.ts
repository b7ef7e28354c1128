/**
 * Envelope encryption: one data key per subject, wrapped by KMS (or a local master key in
 * development), AES-256-GCM for every stored field. Import from here, not from the files.
 */
export type {
  KeyContext,
  KeyProvider,
  KeyProviderName,
  GeneratedDataKey,
  RewrappedDataKey,
} from './key-provider';
export { DATA_KEY_PURPOSE } from './key-provider';
export { AwsKmsKeyProvider, type AwsKmsKeyProviderOptions } from './aws-kms-key-provider';
export { LocalKeyProvider, type LocalKeyProviderOptions, localKeyId } from './local-key-provider';
export { loadLocalMasterKey, readMasterKeyFile, LOCAL_MASTER_KEY_FILE } from './local-master-key';
export { createKeyProvider, type KeyConfig, type CreateKeyProviderOptions } from './create-key-provider';
export { createEnvelopeEncryption, type EnvelopeEncryption } from './create-envelope-encryption';
export {
  encryptField,
  decryptField,
  FIELD_FORMAT_VERSION,
  type EncryptedField,
  type StoredEncryptedField,
  type FieldBinding,
} from './field-cipher';
export { KeyCache, type KeyCacheOptions, type KeyCacheStats, type CachedKey } from './key-cache';
export type { DataKeyRecord, DataKeyStore, RewrappedRecord } from './data-key-store-port';
export {
  DataKeyService,
  type DataKey,
  type DataKeyServiceDeps,
  INITIAL_KEY_VERSION,
} from './data-key-service';
export type { RotationOptions, RotationProgress, RotationSummary } from './key-rotation';
export { EnvelopeCipher } from './envelope-cipher';
export type { FieldSealer } from './field-sealer';
export { type BytesLike, toBuffer } from './bytes';

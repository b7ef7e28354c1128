import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError, ConfigError } from '../core/errors';
import {
  DATA_KEY_BYTES,
  type GeneratedDataKey,
  type KeyContext,
  type KeyProvider,
  type RewrappedDataKey,
} from './key-provider';

/**
 * Wrapped blob layout (69 bytes):
 *   version (1) | master key fingerprint (8) | iv (12) | tag (16) | wrapped data key (32)
 * The header is part of the AAD, so neither the version nor the fingerprint can be edited.
 */
const BLOB_VERSION = 1;
const FINGERPRINT_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + FINGERPRINT_BYTES;
const BLOB_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES + DATA_KEY_BYTES;
const ID_PREFIX = 'local:';

export interface LocalKeyProviderOptions {
  readonly masterKey: Buffer;
  /** Retired master keys, still accepted for unwrap/rewrap so a rotation can finish. */
  readonly previousMasterKeys?: readonly Buffer[];
  readonly env: 'development' | 'test' | 'production';
  readonly allowInProduction: boolean;
}

/**
 * Development stand-in for KMS: the master key sits next to the data, which is exactly what
 * production must not do, hence the refusal below unless someone opts in on purpose.
 */
export class LocalKeyProvider implements KeyProvider {
  readonly name = 'local' as const;
  readonly currentKeyId: string;
  private readonly keysById = new Map<string, Buffer>();

  constructor(options: LocalKeyProviderOptions) {
    assertLocalKeysAllowed(options.env, options.allowInProduction);
    for (const key of [options.masterKey, ...(options.previousMasterKeys ?? [])]) {
      if (key.length !== DATA_KEY_BYTES) {
        throw new ConfigError(`local master keys must be exactly ${DATA_KEY_BYTES} bytes`);
      }
      // Own copies, so the caller may zero theirs.
      this.keysById.set(localKeyId(key), Buffer.from(key));
    }
    this.currentKeyId = localKeyId(options.masterKey);
  }

  // The work is synchronous; `new Promise` turns a throw into a rejection, as the port promises.
  generateDataKey(ctx: KeyContext): Promise<GeneratedDataKey> {
    return new Promise((resolve) => {
      const plaintext = randomBytes(DATA_KEY_BYTES);
      resolve({ plaintext, wrapped: this.wrap(plaintext, ctx), providerKeyId: this.currentKeyId });
    });
  }

  unwrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<Buffer> {
    return new Promise((resolve) => resolve(this.unwrapSync(wrapped, ctx, providerKeyId)));
  }

  rewrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<RewrappedDataKey> {
    return new Promise((resolve) => {
      const plaintext = this.unwrapSync(wrapped, ctx, providerKeyId);
      try {
        resolve({ wrapped: this.wrap(plaintext, ctx), providerKeyId: this.currentKeyId });
      } finally {
        plaintext.fill(0);
      }
    });
  }

  isCurrentKey(providerKeyId: string): boolean {
    return providerKeyId === this.currentKeyId;
  }

  /** Shutdown: wipe the master keys; later calls fail like an unknown key would. */
  close(): void {
    for (const key of this.keysById.values()) key.fill(0);
    this.keysById.clear();
  }

  private wrap(plaintext: Buffer, ctx: KeyContext): Buffer {
    const header = Buffer.concat([Buffer.from([BLOB_VERSION]), fingerprintBytes(this.currentKeyId)]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey(this.currentKeyId), iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(wrapAad(header, ctx));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), ct]);
  }

  private unwrapSync(wrapped: Buffer, ctx: KeyContext, expectedKeyId: string | undefined): Buffer {
    if (wrapped.length !== BLOB_BYTES || wrapped[0] !== BLOB_VERSION) {
      throw new AppError('KMS_DENIED', 'local provider: not a wrapped data key of a known format');
    }
    const header = wrapped.subarray(0, HEADER_BYTES);
    const keyId = ID_PREFIX + header.subarray(1).toString('hex');
    if (expectedKeyId !== undefined && expectedKeyId !== keyId) {
      throw new AppError(
        'KMS_DENIED',
        'local provider: wrapped key does not belong to the recorded master key',
      );
    }
    const masterKey = this.keysById.get(keyId);
    if (!masterKey) {
      throw new AppError(
        'KMS_DENIED',
        'local provider: wrapped under a master key this process does not hold',
      );
    }
    const iv = wrapped.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
    const tag = wrapped.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
    const ct = wrapped.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', masterKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(wrapAad(header, ctx));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]);
    } catch (error) {
      // Same meaning as KMS's InvalidCiphertextException: wrong context or a damaged blob.
      throw new AppError('KMS_DENIED', 'local provider: wrapped key failed authentication', { cause: error });
    }
  }

  private masterKey(keyId: string): Buffer {
    const key = this.keysById.get(keyId);
    if (!key) throw new Error(`local provider: no master key ${keyId}`);
    return key;
  }
}

/** The local provider keeps the master key next to the data: production must opt in explicitly. */
export function assertLocalKeysAllowed(
  env: LocalKeyProviderOptions['env'],
  allowInProduction: boolean,
): void {
  if (env === 'production' && !allowInProduction) {
    throw new ConfigError(
      'KEY_PROVIDER: the local key provider is for development; use KEY_PROVIDER=aws in production ' +
        '(or set ALLOW_LOCAL_KEYS_IN_PRODUCTION=true if you accept the risk)',
    );
  }
}

/** A stable, non-secret name for a master key: it tells which key wrapped a blob, nothing more. */
export function localKeyId(masterKey: Buffer): string {
  const fingerprint = createHmac('sha256', masterKey).update('pfc local master key id').digest();
  return ID_PREFIX + fingerprint.subarray(0, FINGERPRINT_BYTES).toString('hex');
}

function fingerprintBytes(keyId: string): Buffer {
  return Buffer.from(keyId.slice(ID_PREFIX.length), 'hex');
}

/** Binds the blob to its header and to the same context KMS would check (subject + purpose). */
function wrapAad(header: Buffer, ctx: KeyContext): Buffer {
  return Buffer.concat([
    header,
    Buffer.from(JSON.stringify(['pfc-data-key', ctx.subjectId, ctx.purpose]), 'utf8'),
  ]);
}

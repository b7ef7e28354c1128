/**
 * The port to whatever wraps data keys: AWS KMS in production, a local master key in development.
 * A provider never sees message content; it only wraps and unwraps the per-subject data keys.
 */
export type KeyProviderName = 'aws' | 'local';

/**
 * What a wrapped data key is bound to. KMS records it in its audit log (CloudTrail), so it holds
 * the pseudonymous subject id and a purpose label, never content or raw platform ids.
 */
export interface KeyContext {
  readonly subjectId: string;
  readonly purpose: string;
}

export interface GeneratedDataKey {
  /** 32 bytes of key material. The caller owns it and must `fill(0)` it when done. */
  readonly plaintext: Buffer;
  readonly wrapped: Buffer;
  /** The exact master key that wrapped it (a key ARN for AWS, a fingerprint for local). */
  readonly providerKeyId: string;
}

export interface RewrappedDataKey {
  readonly wrapped: Buffer;
  readonly providerKeyId: string;
}

export interface KeyProvider {
  readonly name: KeyProviderName;
  /** The master key new data keys are wrapped under, as configured. */
  readonly currentKeyId: string;

  generateDataKey(ctx: KeyContext): Promise<GeneratedDataKey>;

  /**
   * `providerKeyId` is the id stored next to the wrapped key. Passing it lets KMS refuse a blob
   * wrapped by some other key, and keeps keys readable while a rotation is half done.
   */
  unwrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<Buffer>;

  /** Re-wrap under the current master key without the data key itself changing. */
  rewrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<RewrappedDataKey>;

  /**
   * Whether a stored providerKeyId already names the current master key. Needed because KMS
   * answers with a key ARN while the configuration may name the key by its bare id.
   */
  isCurrentKey(providerKeyId: string): boolean;

  /** Release network resources on shutdown. */
  close?(): void;
}

/** The purpose label of the one data key each subject has. */
export const DATA_KEY_PURPOSE = 'data';

/** Length of an AES-256 key, the only kind this layer uses. */
export const DATA_KEY_BYTES = 32;

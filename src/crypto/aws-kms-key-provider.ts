import {
  DecryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  type KMSClientConfig,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import type { Logger } from '../logging/logger';
import { AppError, errorCode } from '../core/errors';
import { copyAndZero } from './bytes';
import {
  DATA_KEY_BYTES,
  type GeneratedDataKey,
  type KeyContext,
  type KeyProvider,
  type RewrappedDataKey,
} from './key-provider';
import { toKmsAppError } from './kms-errors';

export interface AwsKmsKeyProviderOptions {
  /** Key id, key ARN or alias of the KMS key new data keys are wrapped under (KMS_KEY_ID). */
  readonly keyId: string;
  /** Per-attempt bound for connecting and for the whole request/response (KMS_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Attempts including the first (KMS_MAX_ATTEMPTS); the SDK backs off between them. */
  readonly maxAttempts: number;
  /** KMS_ENDPOINT: a VPC endpoint, LocalStack, or the test double. */
  readonly endpoint?: string;
  /** Both default to the SDK's chain (AWS_REGION, profile, IMDS, web identity, ...). */
  readonly region?: string;
  readonly credentials?: KMSClientConfig['credentials'];
  readonly logger: Logger;
}

/**
 * Production key provider. The encryption context {subjectId, purpose} is checked by KMS on every
 * Decrypt and shows up in CloudTrail, which is why it carries only the pseudonymous subject id.
 */
export class AwsKmsKeyProvider implements KeyProvider {
  readonly name = 'aws' as const;
  readonly currentKeyId: string;
  private readonly client: KMSClient;
  private readonly logger: Logger;
  /** The ARN KMS reports for currentKeyId, learnt from its answers (currentKeyId may be an alias). */
  private currentKeyArn: string | undefined;

  constructor(options: AwsKmsKeyProviderOptions) {
    this.currentKeyId = options.keyId;
    this.logger = options.logger;
    this.client = new KMSClient({
      maxAttempts: options.maxAttempts,
      // Plain options rather than a NodeHttpHandler instance: the SDK builds the handler itself,
      // so we need not depend on @smithy/node-http-handler directly.
      requestHandler: {
        connectionTimeout: options.timeoutMs,
        requestTimeout: options.timeoutMs,
        // Without this a breached requestTimeout is only a logged warning and a hung KMS hangs the turn.
        throwOnRequestTimeout: true,
      },
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.region !== undefined && { region: options.region }),
      ...(options.credentials !== undefined && { credentials: options.credentials }),
    });
  }

  async generateDataKey(ctx: KeyContext): Promise<GeneratedDataKey> {
    const response = await this.call('GenerateDataKey', () =>
      this.client.send(
        new GenerateDataKeyCommand({
          KeyId: this.currentKeyId,
          KeySpec: 'AES_256',
          EncryptionContext: encryptionContext(ctx),
        }),
      ),
    );
    const { Plaintext, CiphertextBlob, KeyId } = response;
    if (!Plaintext || Plaintext.length !== DATA_KEY_BYTES || !CiphertextBlob || !KeyId) {
      Plaintext?.fill(0);
      throw malformed('GenerateDataKey');
    }
    this.currentKeyArn = KeyId;
    return { plaintext: copyAndZero(Plaintext), wrapped: Buffer.from(CiphertextBlob), providerKeyId: KeyId };
  }

  async unwrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<Buffer> {
    const response = await this.call('Decrypt', () =>
      this.client.send(
        new DecryptCommand({
          CiphertextBlob: wrapped,
          EncryptionContext: encryptionContext(ctx),
          // Naming the key makes KMS refuse a blob that some other key wrapped.
          KeyId: providerKeyId ?? this.currentKeyId,
        }),
      ),
    );
    const { Plaintext } = response;
    if (!Plaintext || Plaintext.length !== DATA_KEY_BYTES) {
      Plaintext?.fill(0);
      throw malformed('Decrypt');
    }
    return copyAndZero(Plaintext);
  }

  /** ReEncrypt happens inside KMS: the data key never reaches this process during rotation. */
  async rewrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<RewrappedDataKey> {
    const context = encryptionContext(ctx);
    const response = await this.call('ReEncrypt', () =>
      this.client.send(
        new ReEncryptCommand({
          CiphertextBlob: wrapped,
          SourceEncryptionContext: context,
          ...(providerKeyId !== undefined && { SourceKeyId: providerKeyId }),
          DestinationKeyId: this.currentKeyId,
          DestinationEncryptionContext: context,
        }),
      ),
    );
    if (!response.CiphertextBlob || !response.KeyId) {
      throw malformed('ReEncrypt');
    }
    this.currentKeyArn = response.KeyId;
    return { wrapped: Buffer.from(response.CiphertextBlob), providerKeyId: response.KeyId };
  }

  isCurrentKey(providerKeyId: string): boolean {
    if (providerKeyId === this.currentKeyId || providerKeyId === this.currentKeyArn) return true;
    // A key ARN ends in `:key/<key id>`; the configuration may name the key by that bare id.
    return providerKeyId.endsWith(`:key/${this.currentKeyId}`);
  }

  /** Close pooled sockets (shutdown, CLI exit, tests). */
  close(): void {
    this.client.destroy();
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const mapped = toKmsAppError(operation, error);
      this.logger.warn(
        { op: `kms.${operation}`, code: mapped.code, cause: errorCode(error) },
        'kms call failed',
      );
      throw mapped;
    }
  }
}

function encryptionContext(ctx: KeyContext): Record<string, string> {
  return { subjectId: ctx.subjectId, purpose: ctx.purpose };
}

/** An answer without the fields KMS always sends means a broken proxy or endpoint, not a refusal. */
function malformed(operation: string): AppError {
  return new AppError('KMS_UNAVAILABLE', `KMS ${operation} answered without the expected fields`);
}

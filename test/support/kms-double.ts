import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for AWS KMS that speaks the real wire protocol (JSON 1.1, `X-Amz-Target:
 * TrentService.*`), so tests drive the real @aws-sdk/client-kms client against it through the
 * `endpoint` option and never reach the internet.
 *
 * It really encrypts: each key id has its own AES-256-GCM master key, and a CiphertextBlob embeds
 * the key id while the encryption context is bound as AAD, so Decrypt with another context fails
 * with InvalidCiphertextException exactly as KMS does.
 */

export type KmsOperation = 'GenerateDataKey' | 'Decrypt' | 'Encrypt' | 'ReEncrypt';
export const KMS_OPERATIONS: readonly KmsOperation[] = ['GenerateDataKey', 'Decrypt', 'Encrypt', 'ReEncrypt'];

/**
 * - internal-error: HTTP 500 KMSInternalException (the SDK retries it)
 * - access-denied: HTTP 400 AccessDeniedException
 * - invalid-state: HTTP 400 KMSInvalidStateException
 * - hang: read the request, never answer
 */
export type KmsFailure = 'internal-error' | 'access-denied' | 'invalid-state' | 'hang';

export interface KmsDoubleRequest {
  readonly operation: string;
  readonly body: Readonly<Record<string, unknown>>;
}

interface FailurePlan {
  readonly failure: KmsFailure;
  readonly operations: ReadonlySet<string> | undefined;
  remaining: number;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const BLOB_MAGIC = Buffer.from('KMSD');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class KmsDouble {
  readonly region = 'us-east-1';
  readonly accountId = '111122223333';
  private readonly masterKeys = new Map<string, Buffer>();
  private readonly disabled = new Set<string>();
  private readonly aliases = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private readonly log: KmsDoubleRequest[] = [];
  private failurePlan: FailurePlan | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
  ) {}

  static async start(options: { keyIds?: readonly string[] } = {}): Promise<KmsDouble> {
    // The request handler needs the double, and the double needs the listening server's port.
    const holder: { double?: KmsDouble } = {};
    const server = http.createServer((req, res) => holder.double?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const double = new KmsDouble(server, `http://127.0.0.1:${port}`);
    holder.double = double;
    for (const keyId of options.keyIds ?? ['key-a']) double.addKey(keyId);
    return double;
  }

  /** Create a KMS key; returns its ARN (what KMS reports as KeyId). */
  addKey(keyId: string): string {
    if (!this.masterKeys.has(keyId)) this.masterKeys.set(keyId, randomBytes(32));
    return this.arn(keyId);
  }

  addAlias(alias: `alias/${string}`, keyId: string): void {
    this.aliases.set(alias, keyId);
  }

  arn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }

  disableKey(keyId: string): void {
    this.disabled.add(keyId);
  }

  /** Make the next `times` matching requests (default: all) fail in the given way; undefined heals. */
  fail(
    failure: KmsFailure | undefined,
    options: { operations?: readonly KmsOperation[]; times?: number } = {},
  ): void {
    this.failurePlan = failure && {
      failure,
      operations: options.operations && new Set(options.operations),
      remaining: options.times ?? Number.POSITIVE_INFINITY,
    };
  }

  /** HTTP requests received per operation, failed attempts and retries included. */
  calls(operation?: KmsOperation): number {
    if (operation) return this.counts.get(operation) ?? 0;
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Every request body received, for asserting what the client sent (e.g. the encryption context). */
  get requests(): readonly KmsDoubleRequest[] {
    return this.log;
  }

  resetCalls(): void {
    this.counts.clear();
    this.log.length = 0;
  }

  async close(): Promise<void> {
    // Hanging requests would otherwise keep close() waiting forever.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const operation = typeof target === 'string' ? target.replace(/^TrentService\./, '') : '';
      this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
      try {
        this.checkProtocol(req, target);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        this.log.push({ operation, body });
        const failure = this.takeFailure(operation);
        if (failure === 'hang') return;
        if (failure) throw failureError(failure);
        this.reply(res, 200, this.dispatch(operation, body));
      } catch (error) {
        const kmsError =
          error instanceof KmsError ? error : new KmsError('KMSInternalException', 500, 'double failed');
        this.reply(res, kmsError.status, { __type: kmsError.type, message: kmsError.message });
      }
    });
  }

  private checkProtocol(req: http.IncomingMessage, target: string | string[] | undefined): void {
    if (req.method !== 'POST' || req.url !== '/')
      throw new KmsError('UnknownOperationException', 404, 'POST / only');
    if (!req.headers['content-type']?.startsWith(CONTENT_TYPE)) {
      throw new KmsError('SerializationException', 400, `content-type must be ${CONTENT_TYPE}`);
    }
    if (typeof target !== 'string' || !target.startsWith('TrentService.')) {
      throw new KmsError('UnknownOperationException', 400, 'missing X-Amz-Target');
    }
    // The double does not verify signatures, but insists the client signed like the real SDK does.
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 Credential=')) {
      throw new KmsError('MissingAuthenticationTokenException', 400, 'request is not signed');
    }
  }

  private takeFailure(operation: string): KmsFailure | undefined {
    const plan = this.failurePlan;
    if (!plan || plan.remaining <= 0) return undefined;
    if (plan.operations && !plan.operations.has(operation)) return undefined;
    plan.remaining--;
    return plan.failure;
  }

  private dispatch(operation: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (operation) {
      case 'GenerateDataKey': {
        const keyId = this.resolveKey(body.KeyId);
        const length = body.KeySpec === 'AES_256' ? 32 : body.KeySpec === 'AES_128' ? 16 : body.NumberOfBytes;
        if (typeof length !== 'number' || length < 1 || length > 1024) {
          throw new KmsError('ValidationException', 400, 'KeySpec or NumberOfBytes is required');
        }
        const plaintext = randomBytes(length);
        return {
          KeyId: this.arn(keyId),
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: this.seal(keyId, plaintext, context(body.EncryptionContext)).toString('base64'),
        };
      }
      case 'Encrypt': {
        const keyId = this.resolveKey(body.KeyId);
        const plaintext = blob(body.Plaintext, 'Plaintext');
        return {
          KeyId: this.arn(keyId),
          CiphertextBlob: this.seal(keyId, plaintext, context(body.EncryptionContext)).toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      case 'Decrypt': {
        const opened = this.open(
          blob(body.CiphertextBlob, 'CiphertextBlob'),
          context(body.EncryptionContext),
          body.KeyId,
        );
        return {
          KeyId: this.arn(opened.keyId),
          Plaintext: opened.plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      case 'ReEncrypt': {
        const source = this.open(
          blob(body.CiphertextBlob, 'CiphertextBlob'),
          context(body.SourceEncryptionContext),
          body.SourceKeyId,
        );
        const destination = this.resolveKey(body.DestinationKeyId);
        const sealed = this.seal(destination, source.plaintext, context(body.DestinationEncryptionContext));
        return {
          CiphertextBlob: sealed.toString('base64'),
          SourceKeyId: this.arn(source.keyId),
          KeyId: this.arn(destination),
          SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      default:
        throw new KmsError(
          'UnknownOperationException',
          400,
          `operation ${operation} is not supported by the double`,
        );
    }
  }

  /** Accepts a bare key id, a key ARN, an alias name or an alias ARN, like KMS. */
  private resolveKey(reference: unknown): string {
    if (typeof reference !== 'string' || reference === '')
      throw new KmsError('ValidationException', 400, 'KeyId is required');
    const prefix = `arn:aws:kms:${this.region}:${this.accountId}:`;
    const bare = reference.startsWith(prefix) ? reference.slice(prefix.length) : reference;
    const keyId = bare.startsWith('alias/') ? this.aliases.get(bare) : bare.replace(/^key\//, '');
    if (!keyId || !this.masterKeys.has(keyId)) throw new KmsError('NotFoundException', 400, 'key not found');
    if (this.disabled.has(keyId)) throw new KmsError('DisabledException', 400, 'key is disabled');
    return keyId;
  }

  private seal(keyId: string, plaintext: Buffer, aad: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKeys.get(keyId)!, iv);
    const header = Buffer.concat([BLOB_MAGIC, Buffer.from([Buffer.byteLength(keyId)]), Buffer.from(keyId)]);
    cipher.setAAD(Buffer.concat([header, aad]));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), ct]);
  }

  private open(sealed: Buffer, aad: Buffer, expectedKey: unknown): { keyId: string; plaintext: Buffer } {
    const invalid = new KmsError(
      'InvalidCiphertextException',
      400,
      'ciphertext or encryption context is invalid',
    );
    if (sealed.length < BLOB_MAGIC.length + 1 || !sealed.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC))
      throw invalid;
    const idLength = sealed[BLOB_MAGIC.length]!;
    const headerLength = BLOB_MAGIC.length + 1 + idLength;
    const keyId = sealed.subarray(BLOB_MAGIC.length + 1, headerLength).toString('utf8');
    const masterKey = this.masterKeys.get(keyId);
    if (!masterKey || sealed.length < headerLength + IV_BYTES + TAG_BYTES) throw invalid;
    if (expectedKey !== undefined && this.resolveKey(expectedKey) !== keyId) {
      throw new KmsError('IncorrectKeyException', 400, 'ciphertext was not encrypted under the given key');
    }
    if (this.disabled.has(keyId)) throw new KmsError('DisabledException', 400, 'key is disabled');
    const iv = sealed.subarray(headerLength, headerLength + IV_BYTES);
    const tag = sealed.subarray(headerLength + IV_BYTES, headerLength + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', masterKey, iv);
      decipher.setAAD(Buffer.concat([sealed.subarray(0, headerLength), aad]));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([
        decipher.update(sealed.subarray(headerLength + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return { keyId, plaintext };
    } catch {
      throw invalid;
    }
  }

  private reply(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': CONTENT_TYPE,
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(payload);
  }
}

function failureError(failure: Exclude<KmsFailure, 'hang'>): KmsError {
  switch (failure) {
    case 'internal-error':
      return new KmsError('KMSInternalException', 500, 'injected internal error');
    case 'access-denied':
      return new KmsError('AccessDeniedException', 400, 'injected access denied');
    case 'invalid-state':
      return new KmsError('KMSInvalidStateException', 400, 'injected invalid key state');
  }
}

function blob(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || value === '')
    throw new KmsError('ValidationException', 400, `${field} is required`);
  return Buffer.from(value, 'base64');
}

/** KMS compares encryption contexts as maps: order of pairs does not matter, every pair does. */
function context(value: unknown): Buffer {
  if (value === undefined) return Buffer.from('{}');
  if (typeof value !== 'object' || value === null)
    throw new KmsError('ValidationException', 400, 'bad context');
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Buffer.from(JSON.stringify(entries));
}

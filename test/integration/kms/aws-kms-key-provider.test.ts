import pino from 'pino';
import { AwsKmsKeyProvider, type AwsKmsKeyProviderOptions } from '../../../src/crypto/aws-kms-key-provider';
import { KmsDouble } from '../../support/kms-double';

const ctx = { subjectId: 'subject-1', purpose: 'data' };
const providers: AwsKmsKeyProvider[] = [];
let kms: KmsDouble;

function provider(overrides: Partial<AwsKmsKeyProviderOptions> = {}): AwsKmsKeyProvider {
  const created = new AwsKmsKeyProvider({
    keyId: 'key-a',
    timeoutMs: 1000,
    maxAttempts: 3,
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
  providers.push(created);
  return created;
}

beforeEach(async () => {
  kms = await KmsDouble.start({ keyIds: ['key-a', 'key-b'] });
});
afterEach(async () => {
  for (const created of providers.splice(0)) created.close();
  await kms.close();
});

describe('AwsKmsKeyProvider against the KMS double', () => {
  it('generates an AES-256 data key bound to subject and purpose, and unwraps it', async () => {
    const aws = provider();
    const generated = await aws.generateDataKey(ctx);
    expect(generated.plaintext).toHaveLength(32);
    expect(generated.providerKeyId).toBe(kms.arn('key-a'));
    expect(generated.wrapped.includes(generated.plaintext)).toBe(false);

    const unwrapped = await aws.unwrap(generated.wrapped, ctx, generated.providerKeyId);
    expect(unwrapped.equals(generated.plaintext)).toBe(true);
    expect(kms.calls('GenerateDataKey')).toBe(1);
    expect(kms.calls('Decrypt')).toBe(1);

    // What went over the wire: the context holds the pseudonymous id and the purpose, nothing else.
    const [generate, decrypt] = kms.requests;
    expect(generate).toEqual({
      operation: 'GenerateDataKey',
      body: {
        KeyId: 'key-a',
        KeySpec: 'AES_256',
        EncryptionContext: { subjectId: 'subject-1', purpose: 'data' },
      },
    });
    expect(decrypt?.body).toMatchObject({
      KeyId: kms.arn('key-a'),
      EncryptionContext: { subjectId: 'subject-1', purpose: 'data' },
    });
  });

  it.each([
    ['another subject', { subjectId: 'subject-2', purpose: 'data' }],
    ['another purpose', { subjectId: 'subject-1', purpose: 'export' }],
  ])(
    'maps a Decrypt under %s (InvalidCiphertextException) to KMS_DENIED without retrying',
    async (_name, other) => {
      const aws = provider();
      const { wrapped } = await aws.generateDataKey(ctx);
      const failure = aws.unwrap(wrapped, other);
      await expect(failure).rejects.toMatchObject({ code: 'KMS_DENIED' });
      await expect(failure).rejects.toHaveProperty('cause.name', 'InvalidCiphertextException');
      expect(kms.calls('Decrypt')).toBe(1);
    },
  );

  it('refuses a blob recorded under another key id (IncorrectKeyException → KMS_DENIED)', async () => {
    const aws = provider();
    const { wrapped } = await aws.generateDataKey(ctx);
    await expect(aws.unwrap(wrapped, ctx, kms.arn('key-b'))).rejects.toMatchObject({ code: 'KMS_DENIED' });
  });

  it('retries a 500 up to maxAttempts, then reports KMS_UNAVAILABLE', async () => {
    const aws = provider({ maxAttempts: 3 });
    const { wrapped } = await aws.generateDataKey(ctx);
    kms.fail('internal-error');
    await expect(aws.unwrap(wrapped, ctx)).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE' });
    expect(kms.calls('Decrypt')).toBe(3);
  });

  it('rides out a single 500 with a retry', async () => {
    const aws = provider();
    const generated = await aws.generateDataKey(ctx);
    kms.fail('internal-error', { operations: ['Decrypt'], times: 1 });
    expect((await aws.unwrap(generated.wrapped, ctx)).equals(generated.plaintext)).toBe(true);
    expect(kms.calls('Decrypt')).toBe(2);
  });

  it.each([
    ['access-denied', 'AccessDeniedException'],
    ['invalid-state', 'KMSInvalidStateException'],
  ] as const)('maps %s to KMS_DENIED after one attempt', async (failure, sdkName) => {
    const aws = provider();
    const { wrapped } = await aws.generateDataKey(ctx);
    kms.fail(failure);
    const attempt = aws.unwrap(wrapped, ctx);
    await expect(attempt).rejects.toMatchObject({ code: 'KMS_DENIED' });
    await expect(attempt).rejects.toHaveProperty('cause.name', sdkName);
    expect(kms.calls('Decrypt')).toBe(1);
    await expect(aws.generateDataKey(ctx)).rejects.toMatchObject({ code: 'KMS_DENIED' });
  });

  it('maps a disabled key to KMS_DENIED', async () => {
    const aws = provider();
    const { wrapped } = await aws.generateDataKey(ctx);
    kms.disableKey('key-a');
    await expect(aws.unwrap(wrapped, ctx)).rejects.toMatchObject({ code: 'KMS_DENIED' });
  });

  it('gives up on a KMS that never answers within the per-attempt timeout', async () => {
    const aws = provider({ timeoutMs: 200, maxAttempts: 2 });
    const { wrapped } = await aws.generateDataKey(ctx);
    kms.fail('hang');
    const started = Date.now();
    await expect(aws.unwrap(wrapped, ctx)).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE' });
    const elapsed = Date.now() - started;
    // Two attempts of 200 ms plus SDK backoff; far below the 30 s a hung socket would take.
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(3000);
    expect(kms.calls('Decrypt')).toBe(2);
  });

  it('reports a refused connection as KMS_UNAVAILABLE', async () => {
    const closed = await KmsDouble.start();
    const endpoint = closed.endpoint;
    await closed.close();
    const aws = provider({ endpoint, maxAttempts: 2 });
    await expect(aws.generateDataKey(ctx)).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE' });
  });

  it('re-encrypts to the current key inside KMS for rotation', async () => {
    const generated = await provider({ keyId: 'key-a' }).generateDataKey(ctx);
    const keyB = provider({ keyId: 'key-b' });
    expect(keyB.isCurrentKey(generated.providerKeyId)).toBe(false);

    const rewrapped = await keyB.rewrap(generated.wrapped, ctx, generated.providerKeyId);
    expect(rewrapped.providerKeyId).toBe(kms.arn('key-b'));
    expect(keyB.isCurrentKey(rewrapped.providerKeyId)).toBe(true);
    expect(kms.calls('ReEncrypt')).toBe(1);
    expect(kms.requests.at(-1)?.body).toMatchObject({
      SourceKeyId: kms.arn('key-a'),
      DestinationKeyId: 'key-b',
      SourceEncryptionContext: { subjectId: 'subject-1', purpose: 'data' },
      DestinationEncryptionContext: { subjectId: 'subject-1', purpose: 'data' },
    });

    expect(
      (await keyB.unwrap(rewrapped.wrapped, ctx, rewrapped.providerKeyId)).equals(generated.plaintext),
    ).toBe(true);
    // The new blob belongs to key-b only.
    await expect(keyB.unwrap(rewrapped.wrapped, ctx, kms.arn('key-a'))).rejects.toMatchObject({
      code: 'KMS_DENIED',
    });
    await expect(keyB.rewrap(generated.wrapped, { ...ctx, subjectId: 'x' })).rejects.toMatchObject({
      code: 'KMS_DENIED',
    });
  });

  it('recognises its current key by bare id, ARN, or the ARN KMS reported for an alias', async () => {
    kms.addAlias('alias/chatbot', 'key-b');
    const byAlias = provider({ keyId: 'alias/chatbot' });
    expect(byAlias.isCurrentKey(kms.arn('key-b'))).toBe(false); // not known until KMS names it
    const generated = await byAlias.generateDataKey(ctx);
    expect(generated.providerKeyId).toBe(kms.arn('key-b'));
    expect(byAlias.isCurrentKey(kms.arn('key-b'))).toBe(true);
    expect(byAlias.isCurrentKey(kms.arn('key-a'))).toBe(false);

    const byId = provider({ keyId: 'key-a' });
    expect(byId.isCurrentKey(kms.arn('key-a'))).toBe(true);
    expect(byId.isCurrentKey('key-a')).toBe(true);
    expect(byId.isCurrentKey(kms.arn('key-b'))).toBe(false);
  });
});

import { AppError } from '../../../src/core/errors';
import { toKmsAppError } from '../../../src/crypto/kms-errors';

function sdkError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error('from the SDK'), { name, ...extra });
}

describe('toKmsAppError', () => {
  it.each([
    ['AccessDeniedException', 400],
    ['InvalidCiphertextException', 400],
    ['KMSInvalidStateException', 400],
    ['DisabledException', 400],
    ['NotFoundException', 400],
    ['IncorrectKeyException', 400],
    ['ValidationException', 400],
  ])('%s → KMS_DENIED', (name, status) => {
    expect(toKmsAppError('Decrypt', sdkError(name, { $metadata: { httpStatusCode: status } })).code).toBe(
      'KMS_DENIED',
    );
  });

  it.each([
    ['KMSInternalException', { $metadata: { httpStatusCode: 500 } }],
    ['ThrottlingException', { $metadata: { httpStatusCode: 400 } }],
    ['SomethingNew', { $metadata: { httpStatusCode: 503 } }],
    ['SomethingNew', { $fault: 'server', $metadata: { httpStatusCode: 400 } }],
    ['TimeoutError', {}],
    ['Error', { code: 'ECONNRESET' }],
  ])('%s %j → KMS_UNAVAILABLE', (name, extra) => {
    expect(toKmsAppError('Decrypt', sdkError(name, extra)).code).toBe('KMS_UNAVAILABLE');
  });

  it('treats missing credentials as a refusal, not an outage', () => {
    expect(toKmsAppError('GenerateDataKey', sdkError('CredentialsProviderError')).code).toBe('KMS_DENIED');
  });

  it('keeps the SDK error as cause and names only the operation and error name', () => {
    const original = sdkError('KMSInternalException', { $metadata: { httpStatusCode: 500 } });
    const mapped = toKmsAppError('Decrypt', original);
    expect(mapped.cause).toBe(original);
    expect(mapped.message).toBe('KMS Decrypt failed (KMSInternalException 500)');
  });

  it('passes our own errors through unchanged', () => {
    const own = new AppError('KMS_DENIED', 'already mapped');
    expect(toKmsAppError('Decrypt', own)).toBe(own);
  });
});

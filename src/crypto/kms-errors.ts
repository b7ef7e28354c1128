import { AppError, errorCode } from '../core/errors';

/**
 * KMS refused: retrying cannot help and an operator has to look (key disabled, policy, wrong
 * context, damaged blob). Anything not listed that KMS answered with a 4xx is treated the same.
 */
const DENIED = new Set([
  'AccessDeniedException',
  'InvalidCiphertextException',
  'IncorrectKeyException',
  'KMSInvalidStateException',
  'DisabledException',
  'NotFoundException',
  'InvalidKeyUsageException',
  'InvalidGrantTokenException',
  'InvalidArnException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  // No credentials at all in the default chain: configuration, not an outage.
  'CredentialsProviderError',
]);

/** KMS or the path to it is down or slow; the SDK has already retried these. */
const UNAVAILABLE = new Set([
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
  'ThrottlingException',
  'LimitExceededException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

interface SdkErrorShape {
  name?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Translate whatever the SDK threw into our two stable codes; the SDK error stays as `cause`. */
export function toKmsAppError(operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const status =
    typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;

  let code: 'KMS_DENIED' | 'KMS_UNAVAILABLE';
  if (DENIED.has(name)) code = 'KMS_DENIED';
  else if (UNAVAILABLE.has(name) || shape.$fault === 'server' || status === undefined || status >= 500) {
    // No status means no HTTP answer at all: refused connection, reset, DNS, timeout.
    code = 'KMS_UNAVAILABLE';
  } else code = 'KMS_DENIED';

  const detail = `${errorCode(error)}${status ? ` ${status}` : ''}`;
  return new AppError(code, `KMS ${operation} failed (${detail})`, { cause: error });
}

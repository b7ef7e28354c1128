/**
 * One error class per cause, each with a stable code that logs and operators can search for.
 * Messages never contain personal data.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'PIPELINE_NEXT_TWICE'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_REJECTED'
  | 'KMS_UNAVAILABLE'
  | 'KMS_DENIED'
  | 'DECRYPT_FAILED'
  | 'KEY_SHREDDED'
  | 'TURN_TIMEOUT'
  | 'RATE_LIMITED'
  | 'MONGOD_NOT_FOUND'
  | 'ERASURE_INCOMPLETE';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ConfigError extends AppError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

export class StorageUnavailableError extends AppError {
  constructor(operation: string, cause: unknown) {
    super('STORAGE_UNAVAILABLE', `storage operation failed: ${operation}`, { cause });
  }
}

/** The store refused the input (a constraint or validation failed); nothing was written. */
export class StorageRejectedError extends AppError {
  constructor(operation: string, cause: unknown) {
    super('STORAGE_REJECTED', `storage refused invalid input: ${operation}`, { cause });
  }
}

/** The stable code of any error, for logs: our own codes, else a driver/SDK name, else UNKNOWN. */
export function errorCode(error: unknown): string {
  if (error instanceof AppError) return error.code;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') return `${error.name}:${String(code)}`;
    return error.name;
  }
  return 'UNKNOWN';
}

import { StorageRejectedError, StorageUnavailableError } from '../../core/errors';

/**
 * Every SQLite call goes through here. A constraint the schema enforces (a CHECK, a NOT NULL)
 * means the caller sent something invalid: STORAGE_REJECTED. Anything else (the file is
 * read-only, the disk is full, the handle is closed, the lock was never released) means the
 * database cannot serve: STORAGE_UNAVAILABLE, the code the engine apologises for.
 */
export async function guarded<T>(operation: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StorageRejectedError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'))
      throw new StorageRejectedError(operation, error);
    throw new StorageUnavailableError(operation, error);
  }
}

/** G3: a limit is an integer >= 1 (SQLite's LIMIT 0 means nothing, MongoDB's limit(0) everything). */
export function checkLimit(operation: string, limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new StorageRejectedError(operation, new RangeError('limit must be an integer >= 1'));
}

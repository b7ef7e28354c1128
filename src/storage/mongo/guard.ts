import mongoose from 'mongoose';
import { AppError, StorageRejectedError, StorageUnavailableError } from '../../core/errors';

/**
 * Every store call goes through here, so a database outage surfaces as one stable error code.
 * A value mongoose refuses (validation, a cast) is the caller's mistake, not an outage: it gets
 * STORAGE_REJECTED, so nobody retries it or apologises for a database that is fine.
 */
export async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    // Already classified below us (a rejected limit, a shredded key): keep its code.
    if (error instanceof AppError) throw error;
    if (error instanceof mongoose.Error.ValidationError || error instanceof mongoose.Error.CastError)
      throw new StorageRejectedError(operation, error);
    throw new StorageUnavailableError(operation, error);
  }
}

/** G3: MongoDB's limit(0) means "no limit" where SQLite's LIMIT 0 means nothing: allow neither. */
export function checkLimit(operation: string, limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new StorageRejectedError(operation, new RangeError('limit must be an integer >= 1'));
}

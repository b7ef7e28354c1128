import { StorageUnavailableError } from '../../core/errors';

/** Every store call goes through here, so a database outage surfaces as one stable error code. */
export async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StorageUnavailableError(operation, error);
  }
}

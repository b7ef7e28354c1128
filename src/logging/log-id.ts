/** How many leading hex characters of a pseudonymous id the logs show. */
const LOG_ID_CHARS = 12;

/**
 * The one form in which logs name a subject (or a conversation): the first 12 hex characters of
 * its pseudonymous id. Enough to follow one person through the logs and to match the operator
 * CLI's tables, which show the same prefix; the full id stays out of log stores, which are kept
 * longer and shared more widely than the database, so a log line alone cannot be joined to
 * stored data without the database.
 */
export function logId(pseudonymousId: string): string {
  return pseudonymousId.slice(0, LOG_ID_CHARS);
}

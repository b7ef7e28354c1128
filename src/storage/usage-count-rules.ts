import { StorageRejectedError } from '../core/errors';
import type { UsageCount } from './ports';

/** The longest feature name a total may carry: dialog ids are short; anything longer is a bug. */
export const MAX_FEATURE_LENGTH = 100;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * UsageCounts.add's rules, checked by both backends before they write (a MongoDB bulk upsert runs
 * no schema validation): a total that could carry free text or a negative count is refused whole.
 */
export function checkUsageCounts(operation: string, counts: readonly UsageCount[]): void {
  const bad = counts.find(
    ({ day, feature, count }) =>
      !DAY.test(day) ||
      feature.length === 0 ||
      feature.length > MAX_FEATURE_LENGTH ||
      !Number.isSafeInteger(count) ||
      count < 1,
  );
  if (bad) throw new StorageRejectedError(operation, new RangeError('invalid usage count'));
}

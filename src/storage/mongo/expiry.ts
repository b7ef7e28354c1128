import type { UpdateAggregationStage } from 'mongoose';

/**
 * Expiry on MongoDB. The TTL monitor deletes a document some time after `expiresAt` (it runs
 * about once a minute), so every read also filters on the app's clock: expired data is never
 * returned (STORAGE-CONTRACT X4). A restriction (GDPR Art. 18) pauses the clock: `expiresAt`
 * null, which the TTL monitor skips, and the time that was left in `expiryRemainingMs`.
 */

/** Not expired at `now`; paused documents (expiresAt null) count as live. */
export function live(now: Date) {
  // Query comparisons only match values of the same type, so $lte never matches null or a
  // missing field and $not keeps them: one condition for "paused or still running".
  return { expiresAt: { $not: { $lte: now } } };
}

/** Documents whose clock still runs at `at`: an already expired one is not brought back by a pause. */
export function running(at: Date) {
  return { expiresAt: { $gt: at } };
}

/** Documents whose clock a restriction stopped. */
export function paused() {
  return { expiresAt: null, expiryRemainingMs: { $exists: true } };
}

const hasDate = (path: string) => ({ $eq: [{ $type: path }, 'date'] });

/**
 * First stage of an upsert pipeline: a document that expired but is not yet deleted is treated
 * as gone, so the update starts afresh instead of reviving its old fields under a new clock.
 */
export function forgetIfExpired(now: Date): UpdateAggregationStage {
  const expired = { $and: [hasDate('$expiresAt'), { $lte: ['$expiresAt', now] }] };
  return { $replaceWith: { $cond: [expired, { _id: '$_id' }, '$$ROOT'] } };
}

/**
 * Stop the clock at `at`, keeping the time that was left. A document already paused keeps its
 * remaining time, so pausing twice (a retried /restrict) changes nothing.
 */
export function pauseExpiry(at: Date): UpdateAggregationStage[] {
  return [
    {
      $set: {
        expiryRemainingMs: {
          $cond: [
            hasDate('$expiresAt'),
            { $max: [0, { $subtract: ['$expiresAt', at] }] },
            '$expiryRemainingMs',
          ],
        },
        expiresAt: null,
      },
    },
  ];
}

/** Restart the clock at `at` with the time that was left; a running clock is left as it is. */
export function resumeExpiry(at: Date): UpdateAggregationStage[] {
  return [
    {
      $set: {
        expiresAt: {
          $cond: [
            hasDate('$expiresAt'),
            '$expiresAt',
            { $add: [at, { $ifNull: ['$expiryRemainingMs', 0] }] },
          ],
        },
      },
    },
    { $unset: 'expiryRemainingMs' },
  ];
}

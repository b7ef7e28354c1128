import type { PipelineStage } from 'mongoose';

/**
 * Update pipelines that stop and restart a document's TTL clock (GDPR Art. 18 restriction).
 * Pausing keeps the time that was left and sets `expiresAt` to null, which the TTL monitor
 * ignores; resuming gives the same time left from the moment the restriction is lifted.
 */
export function pauseExpiry(at: Date): PipelineStage.Set[] {
  return [
    {
      $set: {
        expiryRemainingMs: { $max: [0, { $subtract: ['$expiresAt', at] }] },
        expiresAt: null,
      },
    },
  ];
}

export function resumeExpiry(at: Date): Array<PipelineStage.Set | PipelineStage.Unset> {
  return [
    { $set: { expiresAt: { $add: [at, { $ifNull: ['$expiryRemainingMs', 0] }] } } },
    { $unset: 'expiryRemainingMs' },
  ];
}

/** Documents whose clock runs / is paused. */
export const RUNNING = { expiresAt: { $ne: null } } as const;
export const PAUSED = { expiresAt: null, expiryRemainingMs: { $exists: true } } as const;

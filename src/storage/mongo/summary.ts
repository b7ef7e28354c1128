import type { Model } from 'mongoose';
import type { CategorySummary } from '../ports';

interface SummaryRow {
  count: number;
  first?: Date | null;
  last?: Date | null;
  expiresFirst?: Date | null;
  expiresLast?: Date | null;
  paused: number;
}

/** Counts, date range and expiry range of the documents matching `filter`, in one aggregation. */
export async function summarise<T>(
  model: Model<T>,
  filter: Record<string, unknown>,
  dateField: string,
): Promise<CategorySummary> {
  const [row] = await model
    .aggregate<SummaryRow>([
      { $match: filter },
      {
        $group: {
          _id: null,
          count: { $sum: 1 },
          first: { $min: dateField },
          last: { $max: dateField },
          // $min/$max skip nulls, so paused documents do not hide the running ones' expiry.
          expiresFirst: { $min: '$expiresAt' },
          expiresLast: { $max: '$expiresAt' },
          paused: { $sum: { $cond: [{ $eq: [{ $ifNull: ['$expiresAt', null] }, null] }, 1, 0] } },
        },
      },
    ])
    .exec();
  if (!row) return { count: 0, paused: 0 };
  return {
    count: row.count,
    paused: row.paused,
    ...(row.first && { first: row.first }),
    ...(row.last && { last: row.last }),
    ...(row.expiresFirst && { expiresFirst: row.expiresFirst }),
    ...(row.expiresLast && { expiresLast: row.expiresLast }),
  };
}

import type { Connection, Model } from 'mongoose';
import type { UsageCount, UsageCounts } from '../ports';
import { checkUsageCounts } from '../usage-count-rules';
import { forgetIfExpired, live } from './expiry';
import { guarded } from './guard';
import { usageCountModel, type UsageCountDoc } from './models/usage-count';

/** Anonymous daily feature counts (the `analytics` purpose) in collection `usage_counts`. */
export class MongoUsageCounts implements UsageCounts {
  private readonly model: Model<UsageCountDoc>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date,
  ) {
    this.model = usageCountModel(connection);
  }

  add(counts: readonly UsageCount[], expiresAt: Date): Promise<void> {
    return guarded('usage.add', async () => {
      checkUsageCounts('usage.add', counts);
      if (counts.length === 0) return;
      const now = this.clock();
      // An upsert pipeline: a total that expired but is not yet deleted starts afresh (as on
      // SQLite). Not retried as a whole after a partial failure: the tally keeps the counts then
      // and adds them again, which over-counts at most one flush of one feature (aggregates only).
      await this.model.bulkWrite(
        counts.map(({ day, feature, count }) => ({
          updateOne: {
            filter: { _id: `${day} ${feature}` },
            update: [
              forgetIfExpired(now),
              {
                $set: {
                  day: { $literal: day },
                  feature: { $literal: feature },
                  count: { $add: [{ $ifNull: ['$count', 0] }, count] },
                  expiresAt: { $max: ['$expiresAt', expiresAt] },
                },
              },
            ],
            upsert: true,
          },
        })),
        { ordered: false },
      );
    });
  }

  list(fromDay: string, toDay: string): Promise<UsageCount[]> {
    return guarded('usage.list', async () => {
      const docs = await this.model
        .find({ day: { $gte: fromDay, $lte: toDay }, ...live(this.clock()) })
        .sort({ day: 1, feature: 1 })
        .lean<UsageCountDoc[]>()
        .exec();
      return docs.map(({ day, feature, count }) => ({ day, feature, count }));
    });
  }
}

import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from './model-on';

export interface UsageCountDoc {
  /** `${day} ${feature}`: one document per feature per day. */
  _id: string;
  /** UTC calendar day, "2026-11-26". */
  day: string;
  feature: string;
  count: number;
  /** TTL: anonymous counts go after RETENTION_ANALYTICS_MONTHS. */
  expiresAt: Date;
}

const usageCountSchema = new Schema<UsageCountDoc>(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    feature: { type: String, required: true },
    count: { type: Number, required: true, min: 1 },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'usage_counts', versionKey: false },
);
usageCountSchema.index({ day: 1, feature: 1 });
usageCountSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function usageCountModel(connection: Connection): Model<UsageCountDoc> {
  return modelOn(connection, 'UsageCount', usageCountSchema);
}

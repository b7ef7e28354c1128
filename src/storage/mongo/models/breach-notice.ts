import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from './model-on';

/**
 * One person and one breach: listed as affected (notifiedAt null until shown), or, for a breach
 * that affects everyone, written when the notice was shown. Evidence, like the ledgers: it
 * outlives an erasure and goes with its breach's evidence period.
 */
export interface BreachNoticeDoc {
  _id: Types.ObjectId;
  breachId: string;
  subjectId: string;
  notifiedAt: Date | null;
  /** TTL: the breach's own expiry. */
  expiresAt: Date;
}

const breachNoticeSchema = new Schema<BreachNoticeDoc>(
  {
    breachId: { type: String, required: true },
    subjectId: { type: String, required: true },
    notifiedAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'breach_notices', versionKey: false },
);
// One notice per breach and person: two turns claiming it race on this index. It also serves
// the counts per breach in the operator's list.
breachNoticeSchema.index({ breachId: 1, subjectId: 1 }, { unique: true });
// A turn's question "what is pending for me?", sharded like everything else by subject.
breachNoticeSchema.index({ subjectId: 1, breachId: 1 });
breachNoticeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function breachNoticeModel(connection: Connection): Model<BreachNoticeDoc> {
  return modelOn(connection, 'BreachNotice', breachNoticeSchema);
}

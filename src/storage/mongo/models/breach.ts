import { Schema, type Connection, type Model } from 'mongoose';
import { MAX_BREACH_WHAT_CHARS } from '../../breach-checks';
import { modelOn } from './model-on';

export interface BreachDoc {
  /** A random id the operator can quote ("br_3f9c..."). */
  _id: string;
  /** A kind the bot translates, or the operator's short description; never personal data. */
  what: string;
  occurredAt: Date;
  recordedAt: Date;
  /** Everyone the bot held data about when it was recorded; else the subjects in breach_notices. */
  affectsAll: boolean;
  /** TTL: the end of the evidence period (GDPR Art. 33(5) documentation). */
  expiresAt: Date;
}

const breachSchema = new Schema<BreachDoc>(
  {
    _id: { type: String, required: true },
    // checkBreach counts characters; mongoose counts UTF-16 units, two for some characters.
    what: { type: String, required: true, minlength: 1, maxlength: 2 * MAX_BREACH_WHAT_CHARS },
    occurredAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    affectsAll: { type: Boolean, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'breaches', versionKey: false },
);
// The operator's list, oldest recorded first.
breachSchema.index({ recordedAt: 1, _id: 1 });
breachSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function breachModel(connection: Connection): Model<BreachDoc> {
  return modelOn(connection, 'Breach', breachSchema);
}

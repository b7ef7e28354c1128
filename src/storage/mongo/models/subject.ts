import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from './model-on';

export interface SubjectDoc {
  _id: string;
  policyVersion: string;
  purposes: { history: boolean; personalization: boolean; analytics: boolean };
  decidedAt: Date;
  locale?: string;
  restricted: boolean;
  underAge?: boolean;
  /** TTL: the consent state lapses with its evidence period; the person is simply asked again. */
  expiresAt: Date | null;
  /** Time left on the evidence clock while a restriction paused it. */
  expiryRemainingMs?: number;
}

const subjectSchema = new Schema<SubjectDoc>(
  {
    _id: { type: String, required: true },
    policyVersion: { type: String, required: true },
    purposes: {
      history: { type: Boolean, required: true },
      personalization: { type: Boolean, required: true },
      analytics: { type: Boolean, required: true },
    },
    decidedAt: { type: Date, required: true },
    locale: { type: String },
    restricted: { type: Boolean, default: false },
    underAge: { type: Boolean },
    expiresAt: { type: Date, default: null },
    expiryRemainingMs: { type: Number },
  },
  { collection: 'subjects', versionKey: false },
);
subjectSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function subjectModel(connection: Connection): Model<SubjectDoc> {
  return modelOn(connection, 'Subject', subjectSchema);
}

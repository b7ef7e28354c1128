import { Schema, type Connection, type Model } from 'mongoose';
import { RIGHTS_REQUEST_TYPES, type RightsRequestType } from '../../../privacy/rights/request-types';
import type { RightsRequestStatus } from '../../ports';
import { modelOn } from './model-on';

export interface RightsRequestDoc {
  /** A random id people and operators can quote ("rr_3f9c..."). */
  _id: string;
  subjectId: string;
  type: RightsRequestType;
  origin: string;
  receivedAt: Date;
  dueAt: Date;
  completedAt?: Date;
  status: RightsRequestStatus;
  outcome?: string;
  /** TTL: the evidence period; the entry outlives an erasure on purpose (it proves we did it). */
  expiresAt: Date;
}

const rightsRequestSchema = new Schema<RightsRequestDoc>(
  {
    _id: { type: String, required: true },
    subjectId: { type: String, required: true },
    type: { type: String, required: true, enum: RIGHTS_REQUEST_TYPES },
    origin: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    completedAt: { type: Date },
    status: { type: String, required: true, enum: ['open', 'completed', 'failed'] },
    outcome: { type: String, maxlength: 200 },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'rights_requests', versionKey: false },
);
/**
 * Not completed: open or failed. A list, not `$ne: 'completed'`, because a partial index filter
 * cannot hold $ne (and $in there needs MongoDB 6.0 or later). A new object each time: mongoose
 * casts filters in place.
 */
export function notCompleted(): { status: { $in: RightsRequestStatus[] } } {
  return { status: { $in: ['open', 'failed'] } };
}

// list({ subjectId }), supersede and countCompleted: one person's requests, oldest first.
rightsRequestSchema.index({ subjectId: 1, receivedAt: 1, _id: 1 });
// list({ limit }): everyone's requests, oldest first.
rightsRequestSchema.index({ receivedAt: 1, _id: 1 });
// The operator's overdue list: only unfinished requests are indexed, in the order it is shown,
// with dueAt in the key so the filter needs no document fetch and `limit` stops the scan early.
rightsRequestSchema.index(
  { receivedAt: 1, _id: 1, dueAt: 1 },
  { name: 'overdue', partialFilterExpression: notCompleted() },
);
rightsRequestSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function rightsRequestModel(connection: Connection): Model<RightsRequestDoc> {
  return modelOn(connection, 'RightsRequest', rightsRequestSchema);
}

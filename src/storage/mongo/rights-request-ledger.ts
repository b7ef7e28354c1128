import { randomBytes } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import type { RightsRequestType } from '../../privacy/rights/request-types';
import type { RightsRequest, RightsRequestLedger } from '../ports';
import { live } from './expiry';
import { checkLimit, guarded } from './guard';
import { notCompleted, type RightsRequestDoc, rightsRequestModel } from './models/rights-request';

/** The rights-request ledger in collection `rights_requests`: evidence that every request was answered. */
export class MongoRightsRequestLedger implements RightsRequestLedger {
  private readonly model: Model<RightsRequestDoc>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date,
  ) {
    this.model = rightsRequestModel(connection);
  }

  open(input: Omit<RightsRequest, 'id' | 'status'>, expiresAt: Date): Promise<RightsRequest> {
    return guarded('rightsRequests.open', async () => {
      const doc: RightsRequestDoc = {
        _id: `rr_${randomBytes(8).toString('hex')}`,
        subjectId: input.subjectId,
        type: input.type,
        origin: input.origin,
        receivedAt: input.receivedAt,
        dueAt: input.dueAt,
        status: 'open',
        expiresAt,
      };
      await this.model.create(doc);
      return toRequest(doc);
    });
  }

  /**
   * Only an open request is finished: one answered or superseded stays as it was (R2). Superseding
   * touches open requests only (B1): a failed export stays failed, so it never counts against the
   * person's daily export limit as if it had been delivered. No transaction (a standalone server
   * has none): a failure between the two updates leaves the earlier requests open, and the next
   * completed request of that type answers them.
   */
  finish(
    id: string,
    status: 'completed' | 'failed',
    outcome: string,
    at: Date,
    options: { readonly supersede?: boolean } = {},
  ): Promise<void> {
    return guarded('rightsRequests.finish', async () => {
      const finished = await this.model
        .findOneAndUpdate(
          { _id: id, status: 'open' },
          { $set: { status, outcome, ...(status === 'completed' && { completedAt: at }) } },
          // The schema's limits (outcome length, status values) hold here too, not only on open (B12).
          { runValidators: true, new: true },
        )
        .lean<RightsRequestDoc>()
        .exec();
      if (!finished || status !== 'completed' || !options.supersede) return;
      await this.model
        .updateMany(
          {
            subjectId: finished.subjectId,
            type: finished.type,
            status: 'open',
            _id: { $ne: id },
            ...live(this.clock()),
          },
          { $set: { status: 'completed', completedAt: at, outcome: `answered by ${id}` } },
        )
        .exec();
    });
  }

  /** Oldest first. Each filter has its index (models/rights-request.ts), the overdue one a partial one. */
  list(filter: { subjectId?: string; overdueAt?: Date; limit?: number }): Promise<RightsRequest[]> {
    return guarded('rightsRequests.list', async () => {
      checkLimit('rightsRequests.list', filter.limit);
      const query = this.model
        .find({
          ...(filter.subjectId !== undefined && { subjectId: filter.subjectId }),
          ...(filter.overdueAt !== undefined && { ...notCompleted(), dueAt: { $lt: filter.overdueAt } }),
          ...live(this.clock()),
        })
        .sort({ receivedAt: 1, _id: 1 });
      if (filter.limit !== undefined) query.limit(filter.limit);
      const docs = await query.lean<RightsRequestDoc[]>().exec();
      return docs.map(toRequest);
    });
  }

  extend(id: string, dueAt: Date): Promise<boolean> {
    return guarded('rightsRequests.extend', async () => {
      const result = await this.model
        .updateOne(
          { _id: id, ...notCompleted(), dueAt: { $lt: dueAt }, ...live(this.clock()) },
          { $set: { dueAt } },
        )
        .exec();
      return result.modifiedCount > 0;
    });
  }

  countCompleted(subjectId: string, type: RightsRequestType, since: Date): Promise<number> {
    return guarded('rightsRequests.countCompleted', () =>
      this.model
        .countDocuments({
          subjectId,
          type,
          status: 'completed',
          completedAt: { $gte: since },
          ...live(this.clock()),
        })
        .exec(),
    );
  }
}

function toRequest(doc: RightsRequestDoc): RightsRequest {
  return {
    id: doc._id,
    subjectId: doc.subjectId,
    type: doc.type,
    origin: doc.origin,
    receivedAt: doc.receivedAt,
    dueAt: doc.dueAt,
    status: doc.status,
    ...(doc.completedAt && { completedAt: doc.completedAt }),
    ...(doc.outcome !== undefined && { outcome: doc.outcome }),
  };
}

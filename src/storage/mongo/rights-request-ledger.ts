import { randomBytes } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import type { RightsRequest, RightsRequestLedger, RightsRequestType } from '../ports';
import { guarded } from './guard';
import { type RightsRequestDoc, rightsRequestModel } from './models/rights-request';

/** The rights-request ledger in collection `rights_requests`: evidence that every request was answered. */
export class MongoRightsRequestLedger implements RightsRequestLedger {
  private readonly model: Model<RightsRequestDoc>;

  constructor(connection: Connection) {
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

  finish(id: string, status: 'completed' | 'failed', outcome: string, at: Date): Promise<void> {
    return guarded('rightsRequests.finish', async () => {
      await this.model
        .updateOne(
          { _id: id },
          { $set: { status, outcome, ...(status === 'completed' && { completedAt: at }) } },
        )
        .exec();
    });
  }

  supersede(subjectId: string, type: RightsRequestType, byId: string, at: Date): Promise<number> {
    return guarded('rightsRequests.supersede', async () => {
      const result = await this.model
        .updateMany(
          { subjectId, type, status: { $ne: 'completed' }, _id: { $ne: byId } },
          { $set: { status: 'completed', completedAt: at, outcome: `answered by ${byId}` } },
        )
        .exec();
      return result.modifiedCount;
    });
  }

  list(filter: { subjectId?: string; overdueAt?: Date; limit?: number }): Promise<RightsRequest[]> {
    return guarded('rightsRequests.list', async () => {
      const query = this.model.find({
        ...(filter.subjectId !== undefined && { subjectId: filter.subjectId }),
        ...(filter.overdueAt !== undefined && {
          status: { $ne: 'completed' },
          dueAt: { $lt: filter.overdueAt },
        }),
      });
      if (filter.limit !== undefined) query.limit(filter.limit);
      const docs = await query.sort({ receivedAt: 1, _id: 1 }).lean<RightsRequestDoc[]>().exec();
      return docs.map(toRequest);
    });
  }

  countCompleted(subjectId: string, type: RightsRequestType, since: Date): Promise<number> {
    return guarded('rightsRequests.countCompleted', () =>
      this.model
        .countDocuments({ subjectId, type, status: 'completed', completedAt: { $gte: since } })
        .exec(),
    );
  }
}

function toRequest(doc: RightsRequestDoc): RightsRequest {
  return {
    id: doc._id,
    subjectId: doc.subjectId,
    type: doc.type,
    origin: doc.origin as RightsRequest['origin'],
    receivedAt: doc.receivedAt,
    dueAt: doc.dueAt,
    status: doc.status,
    ...(doc.completedAt && { completedAt: doc.completedAt }),
    ...(doc.outcome !== undefined && { outcome: doc.outcome }),
  };
}

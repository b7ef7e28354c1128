import { randomBytes } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { byOccurrence, checkBreach } from '../breach-checks';
import type { BreachNotice, BreachOverview, BreachRecord, BreachRegister } from '../ports';
import { guarded } from './guard';
import { type BreachDoc, breachModel } from './models/breach';
import { type BreachNoticeDoc, breachNoticeModel } from './models/breach-notice';

const DUPLICATE_KEY = 11000;
/** Notices written per insertMany when a breach lists many people. */
const INSERT_BATCH = 1000;

/**
 * The breach register in collections `breaches` and `breach_notices`. No transaction (a
 * standalone server has none): the listed notices are written first and the breach last, so a
 * breach is never visible with half its list; notices left behind by a failed record belong to
 * no breach, are never shown, and go with their TTL.
 */
export class MongoBreachRegister implements BreachRegister {
  private readonly breaches: Model<BreachDoc>;
  private readonly notices: Model<BreachNoticeDoc>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date,
  ) {
    this.breaches = breachModel(connection);
    this.notices = breachNoticeModel(connection);
  }

  record(breach: Omit<BreachRecord, 'id'>, affected: readonly string[]): Promise<BreachRecord> {
    return guarded('breaches.record', async () => {
      checkBreach(breach, affected);
      const doc = new this.breaches({
        _id: `br_${randomBytes(8).toString('hex')}`,
        what: breach.what,
        occurredAt: breach.occurredAt,
        recordedAt: breach.recordedAt,
        affectsAll: breach.affectsAll,
        expiresAt: breach.expiresAt,
      });
      // Validated before anything is written: a refused breach leaves no notice behind either.
      await doc.validate();
      for (let start = 0; start < affected.length; start += INSERT_BATCH) {
        const batch = affected.slice(start, start + INSERT_BATCH).map((subjectId) => ({
          breachId: doc._id,
          subjectId,
          notifiedAt: null,
          expiresAt: breach.expiresAt,
        }));
        await this.notices.insertMany(batch, { ordered: true });
      }
      await doc.save();
      return toRecord(doc.toObject());
    });
  }

  pendingFor(subjectId: string): Promise<BreachRecord[]> {
    return guarded('breaches.pendingFor', async () => {
      const live = await this.breaches
        .find({ expiresAt: { $gt: this.clock() } })
        .lean<BreachDoc[]>()
        .exec();
      if (live.length === 0) return [];
      const notices = await this.notices
        .find({ subjectId, breachId: { $in: live.map((breach) => breach._id) } })
        .lean<BreachNoticeDoc[]>()
        .exec();
      const noticeOf = new Map(notices.map((notice) => [notice.breachId, notice]));
      return live
        .filter((breach) => {
          const notice = noticeOf.get(breach._id);
          return (breach.affectsAll || notice !== undefined) && !notice?.notifiedAt;
        })
        .map(toRecord)
        .sort(byOccurrence);
    });
  }

  markNotified(breachId: string, subjectId: string, at: Date): Promise<boolean> {
    return guarded('breaches.markNotified', async () => {
      const breach = await this.breaches
        .findOne({ _id: breachId, expiresAt: { $gt: at } })
        .lean<BreachDoc>()
        .exec();
      if (!breach) return false;
      if (!breach.affectsAll) {
        const listed = await this.notices
          .updateOne({ breachId, subjectId, notifiedAt: null }, { $set: { notifiedAt: at } })
          .exec();
        return listed.modifiedCount === 1;
      }
      try {
        const shown = await this.notices
          .updateOne(
            { breachId, subjectId },
            { $setOnInsert: { notifiedAt: at, expiresAt: breach.expiresAt } },
            { upsert: true },
          )
          .exec();
        return shown.upsertedCount === 1;
      } catch (error) {
        // Another turn upserted the same notice at the same moment: that one shows it.
        if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    });
  }

  noticesFor(subjectId: string): Promise<BreachNotice[]> {
    return guarded('breaches.noticesFor', async () => {
      // The person's notices by the { subjectId, breachId } index, then their live breaches by
      // id: a notice left behind by a failed record has no breach and is not theirs to read.
      const notices = await this.notices.find({ subjectId }).lean<BreachNoticeDoc[]>().exec();
      if (notices.length === 0) return [];
      const live = await this.breaches
        .find({ _id: { $in: notices.map((notice) => notice.breachId) }, expiresAt: { $gt: this.clock() } })
        .lean<BreachDoc[]>()
        .exec();
      const notifiedAtOf = new Map(notices.map((notice) => [notice.breachId, notice.notifiedAt]));
      return live
        .map((breach) => ({ breach: toRecord(breach), notifiedAt: notifiedAtOf.get(breach._id) ?? null }))
        .sort((a, b) => byOccurrence(a.breach, b.breach));
    });
  }

  list(): Promise<BreachOverview[]> {
    return guarded('breaches.list', async () => {
      const live = await this.breaches
        .find({ expiresAt: { $gt: this.clock() } })
        .sort({ recordedAt: 1, _id: 1 })
        .lean<BreachDoc[]>()
        .exec();
      return Promise.all(
        live.map(async (breach) => ({
          ...toRecord(breach),
          listed: breach.affectsAll ? 0 : await this.notices.countDocuments({ breachId: breach._id }).exec(),
          notified: await this.notices
            .countDocuments({ breachId: breach._id, notifiedAt: { $ne: null } })
            .exec(),
        })),
      );
    });
  }
}

function toRecord(doc: BreachDoc): BreachRecord {
  return {
    id: doc._id,
    what: doc.what,
    occurredAt: doc.occurredAt,
    recordedAt: doc.recordedAt,
    affectsAll: doc.affectsAll,
    expiresAt: doc.expiresAt,
  };
}

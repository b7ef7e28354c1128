import type { Connection } from 'mongoose';
import { isLocale } from '../../i18n/locales';
import type { SubjectRecord, SubjectStore } from '../ports';
import { pauseExpiry, resumeExpiry } from './expiry-pause';
import { guarded } from './guard';
import { subjectModel, type SubjectDoc } from './models/subject';

export class MongoSubjectStore implements SubjectStore {
  private readonly model;

  constructor(connection: Connection) {
    this.model = subjectModel(connection);
  }

  get(subjectId: string): Promise<SubjectRecord | null> {
    return guarded('subjects.get', async () => {
      const doc = await this.model.findById(subjectId).lean<SubjectDoc>().exec();
      return doc ? toRecord(doc) : null;
    });
  }

  saveDecision(record: Omit<SubjectRecord, 'restricted'>, expiresAt: Date): Promise<void> {
    return guarded('subjects.saveDecision', async () => {
      await this.model
        .updateOne(
          { _id: record.subjectId },
          {
            $set: {
              policyVersion: record.policyVersion,
              purposes: record.purposes,
              decidedAt: record.decidedAt,
              ...(record.locale ? { locale: record.locale } : {}),
              ...(record.underAge ? { underAge: true } : {}),
            },
            // A restricted person's expiry stays paused (null) until the restriction is lifted.
            $setOnInsert: { restricted: false, expiresAt },
          },
          { upsert: true },
        )
        .exec();
      // A new decision restarts the evidence clock; while restricted it stays paused at full length.
      await this.model
        .updateOne({ _id: record.subjectId, restricted: false }, { $set: { expiresAt } })
        .exec();
      await this.model
        .updateOne(
          { _id: record.subjectId, restricted: true },
          { $set: { expiresAt: null, expiryRemainingMs: expiresAt.getTime() - record.decidedAt.getTime() } },
        )
        .exec();
    });
  }

  setRestricted(subjectId: string, restricted: boolean, at: Date): Promise<void> {
    return guarded('subjects.setRestricted', async () => {
      const filter = { _id: subjectId, restricted: !restricted };
      const pipeline = restricted ? pauseExpiry(at) : resumeExpiry(at);
      await this.model
        .updateOne(filter, [...pipeline, { $set: { restricted } }], { updatePipeline: true })
        .exec();
    });
  }

  setLocale(subjectId: string, locale: string): Promise<void> {
    return guarded('subjects.setLocale', async () => {
      await this.model.updateOne({ _id: subjectId }, { $set: { locale } }).exec();
    });
  }

  delete(subjectId: string): Promise<boolean> {
    return guarded('subjects.delete', async () => {
      const result = await this.model.deleteOne({ _id: subjectId }).exec();
      return result.deletedCount > 0;
    });
  }
}

function toRecord(doc: SubjectDoc): SubjectRecord {
  return {
    subjectId: doc._id,
    policyVersion: doc.policyVersion,
    purposes: { ...doc.purposes },
    decidedAt: doc.decidedAt,
    ...(isLocale(doc.locale) ? { locale: doc.locale } : {}),
    restricted: doc.restricted,
    ...(doc.underAge === true && { underAge: true }),
  };
}

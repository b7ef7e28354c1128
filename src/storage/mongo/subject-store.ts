import type { Connection, Model, UpdateAggregationStage } from 'mongoose';
import { isLocale } from '../../i18n/locales';
import type { ConsentLedgerEntry, SubjectRecord, SubjectStore } from '../ports';
import { forgetIfExpired, live, pauseExpiry, resumeExpiry } from './expiry';
import { guarded } from './guard';
import { insertAllOrNone } from './insert-batch';
import { consentLedgerModel, type ConsentLedgerDoc } from './models/consent-ledger';
import { subjectModel, type SubjectDoc } from './models/subject';

/** The consent state in collection `subjects`, one document per person. */
export class MongoSubjectStore implements SubjectStore {
  private readonly model: Model<SubjectDoc>;
  private readonly ledger: Model<ConsentLedgerDoc>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date,
  ) {
    this.model = subjectModel(connection);
    this.ledger = consentLedgerModel(connection);
  }

  get(subjectId: string): Promise<SubjectRecord | null> {
    return guarded('subjects.get', async () => {
      const doc = await this.model
        .findOne({ _id: subjectId, ...live(this.clock()) })
        .lean<SubjectDoc>()
        .exec();
      return doc ? toRecord(doc) : null;
    });
  }

  /**
   * Create the decision, or replace policy version, purposes and decidedAt of the stored one,
   * keeping what the decision does not speak about (restriction, a saved underAge or locale).
   * One upsert, so concurrent decisions and restrictions never interleave half-way (B3, X2).
   * The ledger entries go first, all or none: without a transaction (a standalone server has
   * none) a failure between the two leaves evidence of a decision that did not take effect, never
   * a decision without its evidence; the person is asked again.
   */
  saveDecision(
    record: Omit<SubjectRecord, 'restricted'>,
    expiresAt: Date,
    ledger: readonly ConsentLedgerEntry[] = [],
  ): Promise<void> {
    return guarded('subjects.saveDecision', async () => {
      // The pipeline below bypasses mongoose's casting and validation: check the input here.
      await new this.model({ _id: record.subjectId, ...record, expiresAt }).validate();
      await insertAllOrNone(
        this.ledger,
        ledger.map((entry) => ({ ...entry, expiresAt })),
      );
      await this.model
        .updateOne({ _id: record.subjectId }, decisionPipeline(record, expiresAt, this.clock()), {
          upsert: true,
          updatePipeline: true,
          // Schema defaults on insert are made for operator updates; the pipeline sets every field.
          setDefaultsOnInsert: false,
        })
        .exec();
    });
  }

  /** Only a person we know and who is unrestricted gets restricted (and vice versa): twice is once. */
  setRestricted(subjectId: string, restricted: boolean, at: Date): Promise<void> {
    return guarded('subjects.setRestricted', async () => {
      const filter = { _id: subjectId, restricted: !restricted, ...live(this.clock()) };
      const clock = restricted ? pauseExpiry(at) : resumeExpiry(at);
      await this.model
        .updateOne(filter, [...clock, { $set: { restricted: { $literal: restricted } } }], {
          updatePipeline: true,
        })
        .exec();
    });
  }

  setLocale(subjectId: string, locale: string): Promise<void> {
    return guarded('subjects.setLocale', async () => {
      await this.model.updateOne({ _id: subjectId, ...live(this.clock()) }, { $set: { locale } }).exec();
    });
  }
}

/**
 * The decision as one update pipeline. Update pipelines are not cast by mongoose, so values go in
 * as $literal (a string starting with '$' would otherwise be read as a field path). Every
 * expression sees the document as it was before this update.
 */
function decisionPipeline(
  record: Omit<SubjectRecord, 'restricted'>,
  expiresAt: Date,
  now: Date,
): UpdateAggregationStage[] {
  // Two decisions in flight (two taps): the one decided earlier must not win by arriving later.
  const stale = { $gt: ['$decidedAt', record.decidedAt] };
  const unlessStale = (field: string, value: unknown) => ({ $cond: [stale, `$${field}`, value] });
  const restricted = { $eq: ['$restricted', true] };
  const { history, personalization, analytics } = record.purposes;
  return [
    forgetIfExpired(now),
    {
      $set: {
        policyVersion: unlessStale('policyVersion', { $literal: record.policyVersion }),
        purposes: unlessStale('purposes', { $literal: { history, personalization, analytics } }),
        decidedAt: unlessStale('decidedAt', record.decidedAt),
        // Left out of the decision: the saved value stays.
        ...(record.locale !== undefined && { locale: unlessStale('locale', { $literal: record.locale }) }),
        ...(record.underAge === true && { underAge: unlessStale('underAge', true) }),
        restricted,
        // A restricted person's evidence clock stays paused, with the new decision's full period.
        expiresAt: { $cond: [restricted, null, unlessStale('expiresAt', expiresAt)] },
        expiryRemainingMs: {
          $cond: [
            restricted,
            unlessStale('expiryRemainingMs', expiresAt.getTime() - record.decidedAt.getTime()),
            '$$REMOVE',
          ],
        },
      },
    },
  ];
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

import type { Model } from 'mongoose';
import { StorageRejectedError } from '../../core/errors';
import { live } from './expiry';
import type { SubjectDoc } from './models/subject';

/**
 * What a history or profile write must do about its people (STORAGE-CONTRACT X3):
 * - `unknown`: no live consent record granting the write's purpose (never decided, erased or
 *   withdrawn meanwhile): nothing may be kept;
 * - `restricted` (GDPR Art. 18): what is written for them starts with its clock paused.
 * Writes ask before and again after they write, because a /restrict or an erasure can land while
 * a turn is sealing. Restriction sets its flag before it pauses, and erasure deletes the consent
 * record before the data, so the second check sees whatever those pauses and deletions missed.
 */
export interface SubjectCheck {
  readonly unknown: ReadonlySet<string>;
  readonly restricted: ReadonlySet<string>;
}

export async function checkSubjects(
  subjects: Model<SubjectDoc>,
  subjectIds: readonly string[],
  now: Date,
  purpose: 'history' | 'personalization',
): Promise<SubjectCheck> {
  const ids = [...new Set(subjectIds)];
  const docs = await subjects
    .find({ _id: { $in: ids }, [`purposes.${purpose}`]: true, ...live(now) }, { _id: 1, restricted: 1 })
    .lean<Array<Pick<SubjectDoc, '_id' | 'restricted'>>>()
    .exec();
  const known = new Map(docs.map((doc) => [doc._id, doc.restricted === true]));
  return {
    unknown: new Set(ids.filter((id) => !known.has(id))),
    restricted: new Set(ids.filter((id) => known.get(id) === true)),
  };
}

/** Nothing about a person is kept without a consent decision, nor after their erasure. */
export function noConsentRecord(operation: string): StorageRejectedError {
  return new StorageRejectedError(operation, new Error('no consent for this purpose from this person'));
}

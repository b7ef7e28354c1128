import type { Connection, Model } from 'mongoose';
import type { ConsentLedger, ConsentLedgerEntry } from '../ports';
import { live } from './expiry';
import { guarded } from './guard';
import { insertAllOrNone } from './insert-batch';
import { consentLedgerModel, type ConsentLedgerDoc } from './models/consent-ledger';

/** The append-only consent ledger in collection `consent_ledger`: documents are inserted, never updated. */
export class MongoConsentLedger implements ConsentLedger {
  private readonly model: Model<ConsentLedgerDoc>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date,
  ) {
    this.model = consentLedgerModel(connection);
  }

  append(entries: readonly ConsentLedgerEntry[], expiresAt: Date): Promise<void> {
    return guarded('consentLedger.append', () =>
      insertAllOrNone(
        this.model,
        entries.map((entry) => ({ ...entry, expiresAt })),
      ),
    );
  }

  list(subjectId: string): Promise<ConsentLedgerEntry[]> {
    return guarded('consentLedger.list', async () => {
      // Oldest first; equal times in append order (ObjectIds grow in the order they are made).
      const docs = await this.model
        .find({ subjectId, ...live(this.clock()) })
        .sort({ at: 1, _id: 1 })
        .lean<ConsentLedgerDoc[]>()
        .exec();
      // Entries whose purpose or locale is no longer known are evidence all the same (B10, L5):
      // returned as stored, typed as the port's current values.
      return docs.map((doc): ConsentLedgerEntry => ({
        subjectId: doc.subjectId,
        purpose: doc.purpose as ConsentLedgerEntry['purpose'],
        decision: doc.decision,
        policyVersion: doc.policyVersion,
        noticeHash: doc.noticeHash,
        locale: doc.locale,
        channel: doc.channel,
        at: doc.at,
      }));
    });
  }
}

import type { Connection } from 'mongoose';
import { isLocale } from '../../i18n/locales';
import { isPurpose } from '../../privacy/purposes';
import type { ConsentLedger, ConsentLedgerEntry } from '../ports';
import { guarded } from './guard';
import { consentLedgerModel, type ConsentLedgerDoc } from './models/consent-ledger';

export class MongoConsentLedger implements ConsentLedger {
  private readonly model;

  constructor(connection: Connection) {
    this.model = consentLedgerModel(connection);
  }

  append(entries: readonly ConsentLedgerEntry[], expiresAt: Date): Promise<void> {
    return guarded('consentLedger.append', async () => {
      await this.model.insertMany(
        entries.map((entry) => ({ ...entry, expiresAt })),
        { ordered: true },
      );
    });
  }

  list(subjectId: string): Promise<ConsentLedgerEntry[]> {
    return guarded('consentLedger.list', async () => {
      const docs = await this.model
        .find({ subjectId })
        .sort({ at: 1, _id: 1 })
        .lean<ConsentLedgerDoc[]>()
        .exec();
      return docs.flatMap((doc) => {
        const { purpose, locale } = doc;
        if (!isPurpose(purpose) || !isLocale(locale)) return [];
        return [
          {
            subjectId: doc.subjectId,
            purpose,
            decision: doc.decision,
            policyVersion: doc.policyVersion,
            noticeHash: doc.noticeHash,
            locale,
            channel: doc.channel as ConsentLedgerEntry['channel'],
            at: doc.at,
          },
        ];
      });
    });
  }
}

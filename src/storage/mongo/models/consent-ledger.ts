import { Schema, type Connection, type Model } from 'mongoose';
import { PURPOSES } from '../../../privacy/purposes';
import { modelOn } from './model-on';

export interface ConsentLedgerDoc {
  subjectId: string;
  purpose: string;
  decision: 'granted' | 'denied' | 'withdrawn';
  policyVersion: string;
  noticeHash: string;
  locale: string;
  channel: string;
  at: Date;
  expiresAt: Date;
}

/** Append-only: the code never updates a ledger entry; the TTL index ends the evidence period. */
const consentLedgerSchema = new Schema<ConsentLedgerDoc>(
  {
    subjectId: { type: String, required: true },
    // Checked when written, never when read: entries for a purpose renamed later stay readable
    // evidence (STORAGE-CONTRACT L5), but a new entry must name a purpose that exists (L3).
    purpose: { type: String, required: true, enum: PURPOSES },
    decision: { type: String, required: true, enum: ['granted', 'denied', 'withdrawn'] },
    policyVersion: { type: String, required: true },
    noticeHash: { type: String, required: true },
    locale: { type: String, required: true },
    channel: { type: String, required: true },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'consent_ledger', versionKey: false },
);
consentLedgerSchema.index({ subjectId: 1, at: 1 });
consentLedgerSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function consentLedgerModel(connection: Connection): Model<ConsentLedgerDoc> {
  return modelOn(connection, 'ConsentLedgerEntry', consentLedgerSchema);
}

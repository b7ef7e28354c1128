/**
 * The data-subject requests the bot records in its rights-request ledger (GDPR Art. 15-21, CCPA
 * know, delete, correct): what a request is, not how it is stored. The storage ports, the export
 * schema and the MongoDB model read this list.
 */
export const RIGHTS_REQUEST_TYPES = [
  'access',
  'export',
  'rectification',
  'erasure',
  'restriction',
  'restriction-lifted',
  'objection',
] as const;
export type RightsRequestType = (typeof RIGHTS_REQUEST_TYPES)[number];

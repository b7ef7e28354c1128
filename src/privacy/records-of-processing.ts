import type { AppConfig } from '../config/config';

/**
 * The records of processing activities (GDPR Art. 30(1)): one row per collection (MongoDB) or
 * table (SQLite: the same names; profile fields in a child table `profile_fields`), with
 * what it holds, why, on which legal basis, for how long and how it is protected. The operator
 * prints it with `npm run privacy -- datamap`; the /privacy notice says the same in plain words
 * (dialogs/privacy/data-map.ts). Unit tests compare the rows and fields with the mongoose models
 * and with the SQLite schema, so nothing can be stored without being listed here.
 */
export interface ProcessingRecord {
  /** The MongoDB collection name, which is also the SQLite table name. */
  readonly collection: string;
  /** What the collection is, in the words of the privacy notice. */
  readonly category: string;
  /** Every top-level field a document can have (a nested object counts as one field). */
  readonly fields: readonly string[];
  readonly purpose: string;
  readonly legalBasis: string;
  /** How long a document is kept, from the configuration. */
  readonly retention: string;
  /** The same in milliseconds, for a fixed period; null for calendar months or until erasure. */
  readonly retentionMs: number | null;
  /** The same in calendar months (to the end of that day); null for a fixed period or until erasure. */
  readonly retentionMonths: number | null;
  readonly protection: string;
  /**
   * How the privacy notices say this row to the person: the consent notice, /privacy and the policy
   * templates (dialogs/privacy/data-map.ts) each list these entries, so nothing is stored that the
   * notices do not name. Empty only where another row's entry covers it (said there).
   */
  readonly notice: readonly NoticeEntry[];
}

/** A retention period as the notices say it: a fixed time, calendar months, or until erasure. */
export type NoticePeriod = number | { readonly months: number } | 'untilErasure';

/** One line of the notices' data map: `dataMap.<topic>` and `dataMap.<topic>Purpose` in the locales. */
export interface NoticeEntry {
  readonly topic:
    'consent' | 'underAge' | 'ledger' | 'state' | 'keys' | 'history' | 'profile' | 'requests' | 'breaches';
  readonly period: NoticePeriod;
  /** `dataMap.<protection>` in the locales. */
  readonly protection: 'encrypted' | 'pseudonymous' | 'wrappedKey';
  /** The legal basis (GDPR Art. 13(1)(c)) in the notices' words: `policy.basis.<basis>`. */
  readonly basis: 'consent' | 'contract' | 'legalObligation';
}

/** GDPR Art. 13(1)(a): the controller as the notices name it. */
export interface Controller {
  readonly name: string;
  readonly address: string;
  readonly contact: string;
}

/**
 * GDPR Art. 13(1)(e): who processes the data on the controller's behalf. Those the configuration
 * shows come with a role the notices translate (`processors.<role>`); those the operator lists in
 * PROCESSORS are named as written.
 */
export type Processor =
  | { readonly name: string; readonly role: 'keyService' | 'database' }
  | { readonly name: string; readonly role?: undefined };

export function controllerOf(config: AppConfig): Controller {
  return { ...config.privacy.controller, contact: config.privacy.contact };
}

/** The processors of this configuration, derived ones first; empty: the notices say there are none. */
export function processorsOf(config: AppConfig): Processor[] {
  const derived: Processor[] = [];
  if (config.keys.provider === 'aws')
    derived.push({ name: 'Amazon Web Services, AWS Key Management Service', role: 'keyService' });
  if (config.storage.mongoUri && /\.mongodb\.net(:\d+)?(,|$)/i.test(hostsOf(config.storage.mongoUri)))
    derived.push({ name: 'MongoDB, Inc., MongoDB Atlas', role: 'database' });
  return [...derived, ...config.privacy.processors.map((name) => ({ name }))];
}

/** The host list of a MongoDB URI: after the scheme and any credentials, before the database. */
function hostsOf(uri: string): string {
  const authority = uri.replace(/^mongodb(\+srv)?:\/\//i, '').split(/[/?]/)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

/** The locale keys of the derived processors' roles, spelled out for the locale-key test. */
export const PROCESSOR_ROLE_KEYS = {
  keyService: 'processors.keyService',
  database: 'processors.database',
} as const;

const CONSENT = 'consent, GDPR Art. 6(1)(a)';
const CONTRACT = 'performance of a contract (the service the person asked for), GDPR Art. 6(1)(b)';
const LEGAL_OBLIGATION = 'legal obligation, GDPR Art. 6(1)(c)';
const PSEUDONYMOUS = 'pseudonymous HMAC id (no platform id is stored)';

/** The rows for this configuration: retention comes from the RETENTION_* variables. */
export function recordsOfProcessing(config: AppConfig): ProcessingRecord[] {
  const { retention } = config;
  // The key that wraps the per-person data keys: KMS in production, a local file in development.
  const wrappedBy = config.keys.provider === 'aws' ? 'AWS KMS' : 'the local master key (development)';
  const encrypted = `AES-256-GCM under the person's own data key, wrapped by ${wrappedBy}`;
  const evidence = { months: retention.evidenceMonths };
  return [
    {
      collection: 'subjects',
      category: 'Consent state',
      fields: [
        '_id',
        'policyVersion',
        'purposes',
        'decidedAt',
        'locale',
        'restricted',
        'underAge',
        'expiresAt',
        'expiryRemainingMs',
      ],
      purpose:
        'enforce the consent decision in force and prove it (GDPR Art. 7(1)); language preference; ' +
        'that the person answered the age screen below CONSENT_MIN_AGE (the age itself is never stored)',
      legalBasis: `${LEGAL_OBLIGATION} with Art. 7(1)`,
      retention:
        `${months(retention.evidenceMonths)} after the latest decision; ${duration(retention.underAgeMs)} ` +
        'after the answer for someone below CONSENT_MIN_AGE (no ledger entries then); paused while restricted',
      retentionMs: null,
      retentionMonths: retention.evidenceMonths,
      protection: PSEUDONYMOUS,
      notice: [
        {
          topic: 'consent',
          period: evidence,
          protection: 'pseudonymous',
          basis: 'legalObligation',
        },
        {
          topic: 'underAge',
          period: retention.underAgeMs,
          protection: 'pseudonymous',
          basis: 'legalObligation',
        },
      ],
    },
    {
      collection: 'consent_ledger',
      category: 'Consent ledger',
      fields: [
        'subjectId',
        'purpose',
        'decision',
        'policyVersion',
        'noticeHash',
        'locale',
        'channel',
        'at',
        'expiresAt',
      ],
      purpose: 'demonstrable consent: every decision with the hash of the notice shown (GDPR Art. 7(1))',
      legalBasis: `${LEGAL_OBLIGATION} with Art. 7(1)`,
      retention: `${months(retention.evidenceMonths)} after each entry`,
      retentionMs: null,
      retentionMonths: retention.evidenceMonths,
      protection: `${PSEUDONYMOUS}; append-only`,
      notice: [
        {
          topic: 'ledger',
          period: evidence,
          protection: 'pseudonymous',
          basis: 'legalObligation',
        },
      ],
    },
    {
      collection: 'conversation_state',
      category: 'Dialog state',
      fields: ['_id', 'subjectId', 'activeDialog', 'updatedAt', 'expiresAt'],
      purpose: 'continue a dialog the person started (the next step it waits for)',
      legalBasis: CONTRACT,
      retention: `${duration(retention.stateMs)} after the last message (idle)`,
      retentionMs: retention.stateMs,
      retentionMonths: null,
      protection: 'pseudonymous HMAC ids of the person and the conversation',
      notice: [
        {
          topic: 'state',
          period: retention.stateMs,
          protection: 'pseudonymous',
          basis: 'contract',
        },
      ],
    },
    {
      collection: 'data_keys',
      category: 'Data keys',
      fields: ['subjectId', 'wrapped', 'keyVersion', 'providerKeyId', 'provider', 'createdAt', 'rotatedAt'],
      purpose: "encrypt the person's history and profile; deleting the key erases them (crypto-shredding)",
      legalBasis: `${LEGAL_OBLIGATION} with Art. 32 (security of processing)`,
      retention: 'until erasure (crypto-shredding)',
      retentionMs: null,
      retentionMonths: null,
      protection: `wrapped by ${wrappedBy}; the plaintext key is never stored`,
      notice: [
        {
          topic: 'keys',
          period: 'untilErasure',
          protection: 'wrappedKey',
          basis: 'legalObligation',
        },
      ],
    },
    {
      collection: 'history',
      category: 'Conversation history',
      fields: [
        'subjectId',
        'conversationId',
        'speaker',
        'tag',
        'at',
        'body',
        'expiresAt',
        'expiryRemainingMs',
      ],
      purpose: 'remember the conversation for the person (recall, notes, export)',
      legalBasis: `${CONSENT} (purpose "history")`,
      retention: `${duration(retention.historyMs)} after each message; paused while restricted`,
      retentionMs: retention.historyMs,
      retentionMonths: null,
      protection: `body: ${encrypted}; ${PSEUDONYMOUS}`,
      notice: [
        {
          topic: 'history',
          period: retention.historyMs,
          protection: 'encrypted',
          basis: 'consent',
        },
      ],
    },
    {
      collection: 'profiles',
      category: 'Profile',
      fields: ['_id', 'fields', 'updatedAt', 'expiresAt', 'expiryRemainingMs'],
      purpose: 'personalise answers (e.g. the preferred name)',
      legalBasis: `${CONSENT} (purpose "personalization")`,
      retention: `${duration(retention.profileMs)} after the last change; paused while restricted`,
      retentionMs: retention.profileMs,
      retentionMonths: null,
      protection: `fields: ${encrypted}, each value bound to its field; ${PSEUDONYMOUS}`,
      notice: [
        {
          topic: 'profile',
          period: retention.profileMs,
          protection: 'encrypted',
          basis: 'consent',
        },
      ],
    },
    {
      collection: 'rights_requests',
      category: 'Rights requests',
      fields: [
        '_id',
        'subjectId',
        'type',
        'origin',
        'receivedAt',
        'dueAt',
        'completedAt',
        'status',
        'outcome',
        'expiresAt',
      ],
      purpose: 'prove each data-subject request was answered in time (GDPR Art. 5(2), 12(3))',
      legalBasis: `${LEGAL_OBLIGATION} with Art. 5(2), 12(3)`,
      retention: `${months(retention.evidenceMonths)} after the request; kept after an erasure as its proof`,
      retentionMs: null,
      retentionMonths: retention.evidenceMonths,
      protection: `${PSEUDONYMOUS}; outcomes are content-free`,
      notice: [
        {
          topic: 'requests',
          period: evidence,
          protection: 'pseudonymous',
          basis: 'legalObligation',
        },
      ],
    },
    {
      collection: 'breaches',
      category: 'Breach register',
      fields: ['_id', 'what', 'occurredAt', 'recordedAt', 'affectsAll', 'expiresAt'],
      purpose:
        'document each personal data breach: what happened, when, whom it affects (GDPR Art. 33(5)); ' +
        'the notice people are shown (Art. 34)',
      legalBasis: `${LEGAL_OBLIGATION} with Art. 33(5), 34`,
      retention: `${months(retention.evidenceMonths)} after the breach was recorded`,
      retentionMs: null,
      retentionMonths: retention.evidenceMonths,
      protection: 'no personal data: a kind of incident or a short description, times, and "everyone" or not',
      // A breach names nobody: the breach_notices entry says what the register keeps about a person.
      notice: [],
    },
    {
      collection: 'breach_notices',
      category: 'Breach notices',
      fields: ['breachId', 'subjectId', 'notifiedAt', 'expiresAt'],
      purpose:
        'who a breach affects (when not everyone) and who has been shown its notice, so each person ' +
        'sees it once and the notification can be proven (GDPR Art. 34, 5(2))',
      legalBasis: `${LEGAL_OBLIGATION} with Art. 34, 5(2)`,
      retention: `with its breach, ${months(retention.evidenceMonths)} after the breach was recorded; kept after an erasure as evidence`,
      retentionMs: null,
      retentionMonths: retention.evidenceMonths,
      protection: PSEUDONYMOUS,
      notice: [
        {
          topic: 'breaches',
          period: evidence,
          protection: 'pseudonymous',
          basis: 'legalObligation',
        },
      ],
    },
    {
      collection: 'usage_counts',
      category: 'Usage counts',
      // MongoDB's `_id` is `${day} ${feature}`; SQLite's key is the (day, feature) pair.
      fields: ['_id', 'day', 'feature', 'count', 'expiresAt'],
      purpose:
        'see which features are used, to improve the bot: per UTC day, how often each dialog ran for ' +
        'people who allowed analytics (src/privacy/usage-tally.ts)',
      legalBasis: `${CONSENT} (purpose "analytics")`,
      retention: `${months(retention.analyticsMonths)} after the day's last write`,
      retentionMs: null,
      retentionMonths: retention.analyticsMonths,
      protection:
        'no identifier, daily totals only: no subject id, no text, no time finer than the day, so ' +
        'nothing in it is about a person; withdrawing or restricting analytics stops the counting ' +
        'and leaves nothing of the person to delete (erasure and purge-all keep the totals)',
      // Nothing here is about the person, so the notices' data map ("what I store about you") has
      // no line for it; the consent choice itself says what analytics does (`consent.notice`).
      notice: [],
    },
  ];
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** "30 days", "24 hours": the configuration is in whole days or hours; a day or less reads in hours. */
function duration(ms: number): string {
  if (ms % DAY_MS === 0 && ms > DAY_MS) return plural(ms / DAY_MS, 'day');
  if (ms % HOUR_MS === 0) return plural(ms / HOUR_MS, 'hour');
  return plural(Math.round(ms / 60_000), 'minute');
}

/** "24 calendar months": evidence is kept to the end of the same date that many months later. */
function months(count: number): string {
  return `${plural(count, 'calendar month')} (to the end of that day)`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

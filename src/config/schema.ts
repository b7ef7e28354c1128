import { z } from 'zod';
import { BASE_LOCALE, LOCALES } from '../i18n/locales';
import { RIGHTS_REQUEST_DEADLINES } from '../privacy/deadlines';
import { optionalString, optionalUrl, positiveInt, bool } from './env-values';

/**
 * The development defaults of the variables that name the controller in every privacy notice:
 * placeholders a production bot that talks to people refuses (src/config/config.ts).
 */
export const PLACEHOLDERS = {
  PRIVACY_CONTACT: 'privacy@example.org',
  CONTROLLER_NAME: 'Example Bot Operator',
  CONTROLLER_ADDRESS: 'Example Street 1, 12345 Example City, Country',
} as const;

/**
 * Every environment variable the bot reads but the channels' own, which each channel's definition
 * lists (adapters/<name>/definition.ts). Each is documented in .env.example and the README; a
 * test keeps the three in step.
 */
export const envSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),

  // Storage: SQLite files by default; MongoDB when MONGODB_URI is set.
  DATABASE_PATH: optionalString,
  DATA_KEYS_PATH: optionalString,
  RETENTION_SWEEP_SECONDS: positiveInt.default(60),
  MONGODB_URI: optionalString,

  SUBJECT_ID_PEPPER: optionalString.pipe(z.string().min(32).optional()),
  POLICY_VERSION: z.string().min(1).default('2026-11-01'),
  // Any folder in locales/ (src/i18n/locales.ts reads them), so a new language needs no edit here.
  DEFAULT_LOCALE: z.enum(LOCALES).default(BASE_LOCALE),
  // GDPR Art. 8: 16 unless the member state lowered it (never below 13, COPPA's line).
  CONSENT_MIN_AGE: z.coerce.number().int().min(13).max(16).default(16),
  PRIVACY_CONTACT: z.string().min(3).default(PLACEHOLDERS.PRIVACY_CONTACT),
  // GDPR Art. 13(1)(a): who is responsible for the data, by name and postal address.
  CONTROLLER_NAME: z.string().trim().min(2).default(PLACEHOLDERS.CONTROLLER_NAME),
  CONTROLLER_ADDRESS: z.string().trim().min(5).default(PLACEHOLDERS.CONTROLLER_ADDRESS),
  // GDPR Art. 13(1)(e): processors beyond those the configuration shows (AWS KMS, MongoDB Atlas),
  // such as the hosting provider; `;`-separated, each as the notices should name it.
  PROCESSORS: optionalString.transform((value) =>
    (value ?? '')
      .split(';')
      .map((processor) => processor.trim())
      .filter((processor) => processor !== ''),
  ),
  PRIVACY_POLICY_URL: optionalUrl,
  TERMS_URL: optionalUrl,

  RETENTION_HISTORY_DAYS: positiveInt.default(30),
  RETENTION_PROFILE_DAYS: positiveInt.default(365),
  RETENTION_STATE_HOURS: positiveInt.default(24),
  // Consent ledger, rights-request ledger and consent state, in calendar months (CCPA: request
  // records for at least 24 months, 11 CCR § 7101); src/privacy/deadlines.ts does the arithmetic.
  RETENTION_EVIDENCE_MONTHS: positiveInt.max(120).default(24),
  // Below CONSENT_MIN_AGE only a flag is kept, so the age screen is not asked again; see
  // ConsentService for why 30 days.
  RETENTION_UNDER_AGE_DAYS: positiveInt.max(365).default(30),
  // The `analytics` purpose's anonymous daily totals (no one's id in them), in calendar months:
  // 13 compares a month with the same month a year before.
  RETENTION_ANALYTICS_MONTHS: positiveInt.max(120).default(13),
  // How often the in-memory usage tally is written (and on shutdown): a turn never waits for it.
  ANALYTICS_FLUSH_SECONDS: positiveInt.max(3600).default(60),
  // The law whose deadlines rights requests run under: GDPR Art. 12(3) one month (+2), or the
  // CCPA's 45 days (+45) with an acknowledgement within 10 business days.
  RIGHTS_REQUEST_DEADLINE: z.enum(RIGHTS_REQUEST_DEADLINES).default('gdpr'),

  // The terminal's limit, and a floor on the platforms, whose own maximum wins when larger
  // (each channel's maxMessageChars, adapters/<name>/definition.ts).
  MAX_MESSAGE_CHARS: positiveInt.default(4000),
  TURN_RATE_LIMIT_PER_MINUTE: positiveInt.default(30),
  TURN_TIME_LIMIT_MS: positiveInt.default(20_000),
  EXPORT_RATE_LIMIT_PER_DAY: positiveInt.default(3),

  // The intent classifier's confidence (0-1) for free text no command or exact phrase claimed: at
  // or above INTENT_ROUTE_SCORE it starts the intent, at or above INTENT_CLARIFY_SCORE it asks
  // "Did you mean ...?", below that the fallback answers. Chosen from `npm run eval:intents`.
  INTENT_ROUTE_SCORE: z.coerce.number().min(0).max(1).default(0.8),
  INTENT_CLARIFY_SCORE: z.coerce.number().min(0).max(1).default(0.5),

  KEY_PROVIDER: z.enum(['local', 'aws']).default('local'),
  LOCAL_MASTER_KEY: optionalString.pipe(z.base64().optional()),
  ALLOW_LOCAL_KEYS_IN_PRODUCTION: bool.default(false),
  KMS_KEY_ID: optionalString,
  KMS_ENDPOINT: optionalUrl,
  KMS_TIMEOUT_MS: positiveInt.default(2000),
  KMS_MAX_ATTEMPTS: positiveInt.default(3),
  KEY_CACHE_MAX_AGE_SECONDS: positiveInt.default(300),
  KEY_CACHE_MAX_USES: positiveInt.default(10000),
  KEY_CACHE_MAX_ENTRIES: positiveInt.default(10000),

  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3978),
});

export type Env = z.infer<typeof envSchema>;

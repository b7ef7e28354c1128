import path from 'node:path';
import { ConfigError } from '../core/errors';
import { readChannels } from './channel-settings';
import { problemsOf } from './env-values';
import { PLACEHOLDERS, envSchema, type Env } from './schema';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The typed, frozen configuration the composition root hands to every part. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  refuseReplacedVariables(source);
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  // What the channels may read of the rest, parsed on its own so that every channel's checks run
  // (and every problem is listed at once) even when some other variable is wrong.
  const hostVariables = envSchema.pick({ APP_ENV: true, HTTP_HOST: true }).safeParse(source);
  const host = hostVariables.success
    ? { appEnv: hostVariables.data.APP_ENV, httpHost: hostVariables.data.HTTP_HOST }
    : undefined;
  const read = readChannels(source, host);
  problems.push(...read.problems);
  if (!parsed.success || !read.channels || problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const channels = read.channels;
  if (env.APP_ENV === 'production' && !env.SUBJECT_ID_PEPPER) {
    throw new ConfigError('SUBJECT_ID_PEPPER: required in production (at least 32 characters)');
  }
  if (env.RIGHTS_REQUEST_DEADLINE === 'ccpa' && env.RETENTION_EVIDENCE_MONTHS < CCPA_RECORD_MONTHS) {
    throw new ConfigError(
      `RETENTION_EVIDENCE_MONTHS: the CCPA asks to keep request records for at least ${CCPA_RECORD_MONTHS} months`,
    );
  }
  if (env.KEY_PROVIDER === 'aws' && !env.KMS_KEY_ID) {
    throw new ConfigError('KMS_KEY_ID: required when KEY_PROVIDER=aws');
  }
  const dataDir = path.resolve(env.DATA_DIR);
  const database = sqlitePaths(dataDir, env.DATABASE_PATH, env.DATA_KEYS_PATH);
  if (env.APP_ENV === 'production' && !env.MONGODB_URI && database.path === IN_MEMORY) {
    throw new ConfigError(
      'DATABASE_PATH: an in-memory database loses everything on restart; not in production',
    );
  }
  if (env.INTENT_CLARIFY_SCORE > env.INTENT_ROUTE_SCORE) {
    throw new ConfigError('INTENT_CLARIFY_SCORE: must not be above INTENT_ROUTE_SCORE');
  }
  if (channels.on.length > 0) refusePlaceholderController(env);

  return deepFreeze({
    env: env.APP_ENV,
    logLevel: env.LOG_LEVEL,
    dataDir,
    storage: {
      /** Set: MongoDB through mongoose. Unset: the SQLite files below. */
      mongoUri: env.MONGODB_URI,
      sqlitePath: database.path,
      dataKeysPath: database.keysPath,
      sweepIntervalMs: env.RETENTION_SWEEP_SECONDS * 1000,
    },
    privacy: {
      pepper: env.SUBJECT_ID_PEPPER,
      policyVersion: env.POLICY_VERSION,
      consentMinAge: env.CONSENT_MIN_AGE,
      contact: env.PRIVACY_CONTACT,
      /** GDPR Art. 13(1)(a): named in the consent notice, /privacy and the policy templates. */
      controller: { name: env.CONTROLLER_NAME, address: env.CONTROLLER_ADDRESS },
      /** Processors the configuration cannot show (src/privacy/records-of-processing.ts adds those it can). */
      processors: env.PROCESSORS,
      policyUrl: env.PRIVACY_POLICY_URL,
      termsUrl: env.TERMS_URL,
      /** The law whose deadlines rights requests run under (src/privacy/deadlines.ts). */
      rightsRequestDeadline: env.RIGHTS_REQUEST_DEADLINE,
    },
    retention: {
      historyMs: env.RETENTION_HISTORY_DAYS * DAY_MS,
      profileMs: env.RETENTION_PROFILE_DAYS * DAY_MS,
      stateMs: env.RETENTION_STATE_HOURS * 60 * 60 * 1000,
      /** Calendar months: consent ledger, rights requests, consent state (src/privacy/deadlines.ts). */
      evidenceMonths: env.RETENTION_EVIDENCE_MONTHS,
      /** The flag kept for someone below CONSENT_MIN_AGE, and nothing else. */
      underAgeMs: env.RETENTION_UNDER_AGE_DAYS * DAY_MS,
      /** Calendar months: the anonymous usage counts of the `analytics` purpose. */
      analyticsMonths: env.RETENTION_ANALYTICS_MONTHS,
    },
    /** The in-memory usage tally (src/privacy/usage-tally.ts) is written this often. */
    analytics: { flushMs: env.ANALYTICS_FLUSH_SECONDS * 1000 },
    defaultLocale: env.DEFAULT_LOCALE,
    limits: {
      maxMessageChars: env.MAX_MESSAGE_CHARS,
      turnsPerMinute: env.TURN_RATE_LIMIT_PER_MINUTE,
      /** A turn still running after this gets an apology; its own replies are dropped. */
      turnMs: env.TURN_TIME_LIMIT_MS,
      exportsPerDay: env.EXPORT_RATE_LIMIT_PER_DAY,
    },
    /** Free-text intents: route at or above `route`, ask which one at or above `clarify`. */
    intents: { route: env.INTENT_ROUTE_SCORE, clarify: env.INTENT_CLARIFY_SCORE },
    keys: {
      provider: env.KEY_PROVIDER,
      localMasterKey: env.LOCAL_MASTER_KEY,
      allowLocalInProduction: env.ALLOW_LOCAL_KEYS_IN_PRODUCTION,
      kmsKeyId: env.KMS_KEY_ID,
      kmsEndpoint: env.KMS_ENDPOINT,
      kmsTimeoutMs: env.KMS_TIMEOUT_MS,
      kmsMaxAttempts: env.KMS_MAX_ATTEMPTS,
      cacheMaxAgeMs: env.KEY_CACHE_MAX_AGE_SECONDS * 1000,
      cacheMaxUses: env.KEY_CACHE_MAX_USES,
      cacheMaxEntries: env.KEY_CACHE_MAX_ENTRIES,
    },
    http: { host: env.HTTP_HOST, port: env.HTTP_PORT },
    /** Each platform channel's settings, which are on, and their message limits (adapters/index.ts). */
    channels,
  });
}

export type AppConfig = ReturnType<typeof loadConfig>;

/** 11 CCR § 7101(a): records of consumer requests are kept for at least 24 months. */
const CCPA_RECORD_MONTHS = 24;

/**
 * Variables that an older .env may still set. Ignoring them would silently change a deadline or a
 * retention period, so start-up stops and names the replacement.
 */
const REPLACED_VARIABLES: Readonly<Record<string, string>> = {
  RETENTION_EVIDENCE_DAYS:
    'replaced by RETENTION_EVIDENCE_MONTHS (calendar months; the default 24 keeps request records as long as the CCPA asks)',
  RIGHTS_REQUEST_DUE_DAYS:
    'replaced by RIGHTS_REQUEST_DEADLINE=gdpr (one calendar month, GDPR Art. 12(3)) or ccpa (45 days)',
};

function refuseReplacedVariables(source: NodeJS.ProcessEnv): void {
  const problems = Object.entries(REPLACED_VARIABLES)
    .filter(([name]) => source[name] !== undefined && source[name] !== '')
    .map(([name, replacement]) => `${name}: ${replacement}`);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
}

/**
 * A bot that talks to people on a platform in production tells them who is responsible for their
 * data (GDPR Art. 13(1)(a)): the development placeholders would make every notice name nobody.
 * The terminal channel alone (no platform credentials) is left alone, as are tools and tests.
 */
function refusePlaceholderController(env: Env): void {
  if (env.APP_ENV !== 'production') return;
  const placeholders = (Object.keys(PLACEHOLDERS) as (keyof typeof PLACEHOLDERS)[]).filter(
    (name) => env[name] === PLACEHOLDERS[name],
  );
  if (placeholders.length > 0)
    throw new ConfigError(
      `${placeholders.join(', ')}: still the development placeholder; the privacy notices must name the real controller in production`,
    );
}

/** SQLite's name for a database that lives only in memory (tests, throw-away runs). */
export const IN_MEMORY = ':memory:';

/**
 * The data file (default DATA_DIR/bot.sqlite) and the wrapped data keys in a file of their own
 * beside it (bot.keys.sqlite), so a copy or backup of the data file never holds the keys.
 */
function sqlitePaths(dataDir: string, dataPath: string | undefined, keysPath: string | undefined) {
  const file = dataPath === IN_MEMORY ? IN_MEMORY : path.resolve(dataDir, dataPath ?? 'bot.sqlite');
  if (keysPath !== undefined)
    return { path: file, keysPath: keysPath === IN_MEMORY ? IN_MEMORY : path.resolve(keysPath) };
  if (file === IN_MEMORY) return { path: file, keysPath: IN_MEMORY };
  const parsed = path.parse(file);
  return { path: file, keysPath: path.join(parsed.dir, `${parsed.name}.keys${parsed.ext || '.sqlite'}`) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

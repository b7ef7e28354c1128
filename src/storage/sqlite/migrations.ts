import type Database from 'better-sqlite3';

/** One step of the schema. Applied in order, each in its own transaction, never edited once shipped. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/**
 * The data file's schema. Times are integer epoch milliseconds; ciphertext is a BLOB
 * (sealed-blob.ts); `expires_at` is null only while a restriction pauses the clock, and then
 * `expiry_remaining_ms` holds the time that was left. Every query the stores make has an index.
 */
export const DATA_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: `
      CREATE TABLE subjects (
        subject_id TEXT PRIMARY KEY,
        policy_version TEXT NOT NULL,
        purposes TEXT NOT NULL CHECK (json_valid(purposes)),
        decided_at INTEGER NOT NULL,
        locale TEXT,
        restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
        under_age INTEGER NOT NULL DEFAULT 0 CHECK (under_age IN (0, 1)),
        expires_at INTEGER,
        expiry_remaining_ms INTEGER
      ) STRICT;
      CREATE INDEX subjects_expiry ON subjects (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE consent_ledger (
        seq INTEGER PRIMARY KEY,
        subject_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('granted', 'denied', 'withdrawn')),
        policy_version TEXT NOT NULL,
        notice_hash TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX consent_ledger_by_subject ON consent_ledger (subject_id, at, seq);
      CREATE INDEX consent_ledger_expiry ON consent_ledger (expires_at);

      CREATE TABLE conversation_state (
        subject_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        active_dialog TEXT CHECK (active_dialog IS NULL OR json_valid(active_dialog)),
        updated_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (subject_id, conversation_id)
      ) STRICT;
      CREATE INDEX conversation_state_expiry ON conversation_state (expires_at);

      CREATE TABLE history (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        subject_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        speaker TEXT NOT NULL CHECK (speaker IN ('person', 'bot')),
        tag TEXT,
        at INTEGER NOT NULL,
        body BLOB NOT NULL,
        expires_at INTEGER,
        expiry_remaining_ms INTEGER
      ) STRICT;
      CREATE INDEX history_by_subject ON history (subject_id, at, seq);
      CREATE INDEX history_by_tag ON history (subject_id, tag, at, seq) WHERE tag IS NOT NULL;
      CREATE INDEX history_expiry ON history (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE profiles (
        subject_id TEXT PRIMARY KEY,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        expiry_remaining_ms INTEGER
      ) STRICT;
      CREATE INDEX profiles_expiry ON profiles (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE profile_fields (
        subject_id TEXT NOT NULL REFERENCES profiles (subject_id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (subject_id, field)
      ) STRICT;

      CREATE TABLE rights_requests (
        id TEXT PRIMARY KEY,
        subject_id TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('access', 'export', 'rectification', 'erasure',
          'restriction', 'restriction-lifted', 'objection')),
        origin TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        completed_at INTEGER,
        status TEXT NOT NULL CHECK (status IN ('open', 'completed', 'failed')),
        outcome TEXT CHECK (outcome IS NULL OR length(outcome) <= 200),
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX rights_requests_by_subject ON rights_requests (subject_id, received_at, id);
      CREATE INDEX rights_requests_by_received ON rights_requests (received_at, id);
      CREATE INDEX rights_requests_completed ON rights_requests (subject_id, type, completed_at)
        WHERE status = 'completed';
      CREATE INDEX rights_requests_unfinished ON rights_requests (received_at, id)
        WHERE status <> 'completed';
      CREATE INDEX rights_requests_expiry ON rights_requests (expires_at);
    `,
  },
  {
    version: 2,
    name: 'breach register and breach notices',
    // GDPR Art. 33(5), 34: what happened, when and to whom, and who has been shown the notice.
    // A breach row holds no personal data; `what` is a kind (src/privacy/breach.ts) or the
    // operator's short description. A notice row exists for each listed person from the start
    // (notified_at null until shown) and, for a breach that affects everyone, only once that
    // person was shown it. Notices go with their breach (same expiry, and the foreign key).
    up: `
      CREATE TABLE breaches (
        id TEXT PRIMARY KEY,
        what TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 200),
        occurred_at INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        affects_all INTEGER NOT NULL CHECK (affects_all IN (0, 1)),
        expires_at INTEGER NOT NULL,
        CHECK (occurred_at <= recorded_at)
      ) STRICT;
      CREATE INDEX breaches_by_recorded ON breaches (recorded_at, id);
      CREATE INDEX breaches_expiry ON breaches (expires_at);

      CREATE TABLE breach_notices (
        breach_id TEXT NOT NULL REFERENCES breaches (id) ON DELETE CASCADE,
        subject_id TEXT NOT NULL,
        notified_at INTEGER,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (breach_id, subject_id)
      ) STRICT;
      CREATE INDEX breach_notices_expiry ON breach_notices (expires_at);
    `,
  },
  {
    version: 3,
    name: 'anonymous usage counts',
    // The `analytics` purpose: how often each feature was used per UTC day, summed over everyone
    // who allowed analytics (src/privacy/usage-tally.ts). No subject id, no text, no time finer
    // than the day: nothing in it is about a person, so erasure and purge-all leave it alone.
    up: `
      CREATE TABLE usage_counts (
        day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        feature TEXT NOT NULL CHECK (length(feature) BETWEEN 1 AND 100),
        count INTEGER NOT NULL CHECK (count >= 1),
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (day, feature)
      ) STRICT;
      CREATE INDEX usage_counts_expiry ON usage_counts (expires_at);
    `,
  },
];

/** The key file's schema: wrapped data keys only, never any personal content. */
export const KEY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'wrapped data keys',
    up: `
      CREATE TABLE data_keys (
        subject_id TEXT PRIMARY KEY,
        wrapped BLOB NOT NULL,
        key_version INTEGER NOT NULL,
        provider_key_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        rotated_at INTEGER
      ) STRICT;
    `,
  },
];

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`database schema version ${found} is newer than this code knows (${known}): refusing to open`);
  }
}

/**
 * Brings a database up to the newest schema version, recorded in `PRAGMA user_version`. Each
 * migration runs in one transaction with its version bump, so a failed step leaves the database
 * at the version before it. A database from newer code is refused rather than misread.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  const known = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) throw new SchemaTooNewError(current, known);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return known;
}

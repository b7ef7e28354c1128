import Database from 'better-sqlite3';
import { loadConfig } from '../../../src/config/config';
import { recordsOfProcessing } from '../../../src/privacy/records-of-processing';
import { DATA_MIGRATIONS, KEY_MIGRATIONS, migrate } from '../../../src/storage/sqlite/migrations';
import { EXPIRING_TABLES } from '../../../src/storage/sqlite/sweep';

/**
 * The records of processing (GDPR Art. 30) must describe what the SQLite schema stores, as they
 * describe the mongoose models (records-of-processing.test.ts): every table belongs to a listed
 * category and every column to a listed field. Columns are the fields in snake_case; the few
 * that are a row's identity in SQLite but `_id` in MongoDB, and the child table of profile
 * fields, are named here.
 */
const TABLE_TO_RECORD: Record<string, string> = { profile_fields: 'profiles' };
const COLUMN_TO_FIELD: Record<string, string | null> = {
  // Row identities that MongoDB generates by itself (an ObjectId `_id`, not listed): no content.
  'consent_ledger.seq': null,
  'history.seq': null,
  'history.id': null,
  'subjects.subject_id': '_id',
  'conversation_state.subject_id': 'subjectId',
  'conversation_state.conversation_id': '_id',
  'conversation_state.active_dialog': 'activeDialog',
  'profiles.subject_id': '_id',
  'profile_fields.subject_id': '_id',
  'profile_fields.field': 'fields',
  'profile_fields.value': 'fields',
  'rights_requests.id': '_id',
  'breaches.id': '_id',
};

function columnsOf(migrations: typeof DATA_MIGRATIONS): Array<[table: string, column: string]> {
  const db = new Database(':memory:');
  migrate(db, migrations);
  const tables = db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .all();
  const columns = tables.flatMap(({ name }) =>
    db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`)
      .all()
      .map((column): [string, string] => [name, column.name]),
  );
  db.close();
  return columns;
}

const camel = (column: string) =>
  column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
const rows = recordsOfProcessing(loadConfig({}));

describe('records of processing cover the SQLite schema', () => {
  const columns = [...columnsOf(DATA_MIGRATIONS), ...columnsOf(KEY_MIGRATIONS)];

  it('reads a non-trivial schema', () => {
    expect(columns.length).toBeGreaterThan(40);
  });

  it.each(columns)('%s.%s is a listed field of a listed category', (table, column) => {
    const record = rows.find((row) => row.collection === (TABLE_TO_RECORD[table] ?? table));
    expect(record).toBeDefined();
    const mapped = COLUMN_TO_FIELD[`${table}.${column}`];
    if (mapped === null) return;
    expect(record!.fields).toContain(mapped ?? camel(column));
  });

  it('sweeps exactly the tables whose records have a retention period', () => {
    const withRetention = rows
      .filter((row) => row.retentionMs !== null || row.retentionMonths !== null)
      .map((row) => row.collection);
    expect([...EXPIRING_TABLES].sort()).toEqual(withRetention.sort());
  });
});

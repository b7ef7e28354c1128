import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { openSqliteBackend } from '../../../src/storage/sqlite/backend';
import {
  DATA_MIGRATIONS,
  type Migration,
  SchemaTooNewError,
  migrate,
} from '../../../src/storage/sqlite/migrations';
import { openSqliteFile } from '../../../src/storage/sqlite/open-database';

const silent = pino({ level: 'silent' });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sqlite-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tablesOf = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .all()
    .map((row) => row.name);

describe('opening the SQLite files', () => {
  it('sets WAL, foreign keys, secure_delete and a busy timeout on every handle', () => {
    const db = openSqliteFile(path.join(dir, 'a.sqlite'), DATA_MIGRATIONS);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.close();
  });

  it('keeps the wrapped data keys in their own file, readable by the owner only', async () => {
    const backend = openSqliteBackend({
      path: path.join(dir, 'bot.sqlite'),
      keysPath: path.join(dir, 'bot.keys.sqlite'),
      logger: silent,
    });
    expect(tablesOf(backend.db)).not.toContain('data_keys');
    expect(tablesOf(backend.db)).toEqual(
      expect.arrayContaining(['subjects', 'consent_ledger', 'history', 'profiles', 'rights_requests']),
    );
    expect(tablesOf(backend.keysDb)).toEqual(['data_keys']);
    for (const file of ['bot.sqlite', 'bot.keys.sqlite'])
      expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    await backend.close();
  });

  it('refuses one file for both data and keys', () => {
    const file = path.join(dir, 'same.sqlite');
    expect(() => openSqliteBackend({ path: file, keysPath: file, logger: silent })).toThrow(
      /file of their own/,
    );
  });

  it('copies the data file with the online backup API, without any key', async () => {
    const backend = openSqliteBackend({
      path: path.join(dir, 'bot.sqlite'),
      keysPath: path.join(dir, 'bot.keys.sqlite'),
      logger: silent,
    });
    backend.db.prepare(`INSERT INTO conversation_state VALUES ('s', 'c', NULL, 1, 99999999999999)`).run();
    await backend.backup(path.join(dir, 'copy.sqlite'));
    const copy = new Database(path.join(dir, 'copy.sqlite'), { readonly: true });
    expect(copy.prepare(`SELECT count(*) AS n FROM conversation_state`).get()).toEqual({ n: 1 });
    expect(tablesOf(copy)).not.toContain('data_keys');
    copy.close();
    await backend.close();
  });
});

describe('schema migrations', () => {
  const addNicknameColumn: Migration = {
    version: DATA_MIGRATIONS.length + 1,
    name: 'test: a later version adds a column',
    up: `ALTER TABLE conversation_state ADD COLUMN note TEXT NOT NULL DEFAULT 'kept'`,
  };

  it('creates the newest schema on an empty file and records its version', () => {
    const db = openSqliteFile(path.join(dir, 'new.sqlite'), DATA_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(DATA_MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('upgrades a database written at an older version and keeps its rows', () => {
    const file = path.join(dir, 'old.sqlite');
    const old = openSqliteFile(file, DATA_MIGRATIONS);
    old.prepare(`INSERT INTO conversation_state VALUES ('s', 'c', NULL, 1, 99999999999999)`).run();
    old.close();

    const upgraded = openSqliteFile(file, [...DATA_MIGRATIONS, addNicknameColumn]);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(addNicknameColumn.version);
    expect(upgraded.prepare(`SELECT subject_id, note FROM conversation_state`).all()).toEqual([
      { subject_id: 's', note: 'kept' },
    ]);
    // Opening again applies nothing twice.
    upgraded.close();
    const again = openSqliteFile(file, [...DATA_MIGRATIONS, addNicknameColumn]);
    expect(again.pragma('user_version', { simple: true })).toBe(addNicknameColumn.version);
    again.close();
  });

  it('leaves the database at the old version when a migration fails half-way', () => {
    const file = path.join(dir, 'half.sqlite');
    openSqliteFile(file, DATA_MIGRATIONS).close();
    const broken: Migration = {
      version: DATA_MIGRATIONS.length + 1,
      name: 'test: fails after its first statement',
      up: `CREATE TABLE extra (x INTEGER); INSERT INTO no_such_table VALUES (1);`,
    };
    const db = new Database(file);
    expect(() => migrate(db, [...DATA_MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(DATA_MIGRATIONS.length);
    expect(tablesOf(db)).not.toContain('extra');
    db.close();
  });

  it('refuses a database written by newer code instead of misreading it', () => {
    const file = path.join(dir, 'future.sqlite');
    openSqliteFile(file, [...DATA_MIGRATIONS, addNicknameColumn]).close();
    expect(() => openSqliteFile(file, DATA_MIGRATIONS)).toThrow(SchemaTooNewError);
  });
});

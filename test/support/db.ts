import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { type SqliteBackend, openSqliteBackend } from '../../src/storage/sqlite/backend';

/**
 * The default backend on real files: a data file and a key file in a fresh temporary directory
 * (the app's DATA_DIR in tests too), with the raw better-sqlite3 handles for looking at what was
 * stored. `reopen()` is a restart: the open backend is closed and a new one opened on the same
 * files. `drop()` closes it and deletes the directory.
 */
export interface TestDatabase {
  /** The temporary directory: data file, key file, pepper and master key files. */
  readonly dir: string;
  /** The data file (DATABASE_PATH). Its WAL is `${path}-wal`. */
  readonly path: string;
  /** The wrapped data keys' own file (DATA_KEYS_PATH). */
  readonly keysPath: string;
  /** The open backend; a new object after each reopen(). */
  readonly backend: SqliteBackend;
  /** The open backend's handle on the data file. */
  readonly sqlite: Database.Database;
  /** The open backend's handle on the key file. */
  readonly keysSqlite: Database.Database;
  /** Close the open backend (running the onClose hooks first) and open a new one on the same files. */
  reopen(): Promise<SqliteBackend>;
  /** Run `hook` before the open backend is closed (by reopen, close or drop); hooks run once. */
  onClose(hook: () => void | Promise<void>): void;
  /** Close the backend; the files stay. Idempotent. */
  close(): Promise<void>;
  /** Close the backend and delete the directory with every file in it. Idempotent. */
  drop(): Promise<void>;
}

export const DATA_FILE = 'bot.sqlite';
export const KEYS_FILE = 'bot.keys.sqlite';

export function openTestDatabase(): TestDatabase {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'privacy-bot-test-'));
  const dataPath = path.join(dir, DATA_FILE);
  const keysPath = path.join(dir, KEYS_FILE);
  const open = () => openSqliteBackend({ path: dataPath, keysPath, logger: pino({ level: 'silent' }) });
  let backend: SqliteBackend | undefined;
  try {
    backend = open();
  } catch (error) {
    void fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
  let hooks: (() => void | Promise<void>)[] = [];
  let dropped = false;

  const closeBackend = async () => {
    // An app's close() writes its usage counts: it must finish before the backend closes.
    for (const hook of hooks.splice(0)) await hook();
    const current = backend;
    backend = undefined;
    // A test may have closed a handle itself to make the database fail; close the rest.
    if (current && current.db.open && current.keysDb.open) await current.close();
    else if (current) for (const handle of [current.db, current.keysDb]) if (handle.open) handle.close();
  };
  const openBackend = (): SqliteBackend => {
    if (!backend) throw new Error('the test database is closed');
    return backend;
  };

  return {
    dir,
    path: dataPath,
    keysPath,
    get backend() {
      return openBackend();
    },
    get sqlite() {
      return openBackend().db;
    },
    get keysSqlite() {
      return openBackend().keysDb;
    },
    reopen: async () => {
      if (dropped) throw new Error('the test database was dropped');
      await closeBackend();
      backend = open();
      return backend;
    },
    onClose: (hook) => {
      hooks = [...hooks, hook];
    },
    close: closeBackend,
    drop: async () => {
      await closeBackend();
      if (!dropped) await fs.rm(dir, { recursive: true, force: true });
      dropped = true;
    },
  };
}

/** The files of a database another process wrote (the terminal e2e tests), opened read-only. */
export type DatabaseFiles = Pick<TestDatabase, 'path' | 'keysPath' | 'sqlite' | 'keysSqlite'> & {
  close(): void;
};

export function openDatabaseFiles(dir: string): DatabaseFiles {
  const dataPath = path.join(dir, DATA_FILE);
  const keysPath = path.join(dir, KEYS_FILE);
  const sqlite = new Database(dataPath, { readonly: true, fileMustExist: true });
  let keysSqlite: Database.Database;
  try {
    keysSqlite = new Database(keysPath, { readonly: true, fileMustExist: true });
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return {
    path: dataPath,
    keysPath,
    sqlite,
    keysSqlite,
    close: () => {
      sqlite.close();
      keysSqlite.close();
    },
  };
}

/** The tables of one database file, in name order (SQLite's own tables left out). */
export function tableNames(handle: Database.Database): string[] {
  const rows = handle
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as { name: string }[];
  return rows.map((row) => row.name);
}

export function columnNames(handle: Database.Database, table: string): string[] {
  return (handle.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
    (column) => column.name,
  );
}

export type Row = Record<string, unknown>;

/** Every table of the data file and of the key file with all its rows, as better-sqlite3 returns them. */
export function allTables(db: Pick<TestDatabase, 'sqlite' | 'keysSqlite'>): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  for (const handle of [db.sqlite, db.keysSqlite]) {
    for (const name of tableNames(handle)) {
      if (tables.has(name)) throw new Error(`table ${name} is in both the data file and the key file`);
      tables.set(name, handle.prepare(`SELECT * FROM "${name}"`).all() as Row[]);
    }
  }
  return new Map([...tables].sort(([a], [b]) => a.localeCompare(b)));
}

/** Everything that is at rest: every table's rows, and the raw bytes of every file. */
export interface DatabaseDump {
  /** Table name to its rows (data file and key file together). */
  readonly tables: ReadonlyMap<string, readonly Row[]>;
  /** The raw bytes of the data file, its WAL and the key file (and its WAL), those that exist. */
  readonly files: ReadonlyMap<string, Buffer>;
  /**
   * One searchable text: each table as JSON, every value as stored (strings unescaped, numbers in
   * decimal, blobs both as base64 and decoded as UTF-8), then every file decoded as UTF-8.
   */
  readonly text: string;
  /** Only the part of `text` that comes from the raw files. */
  readonly rawText: string;
}

/**
 * For "no plaintext at rest": what a person with a copy of the files would see. Read while the
 * backend is open, so the pages still in the WAL are read as well as the data file.
 */
export async function dumpDatabase(
  db: Pick<TestDatabase, 'path' | 'keysPath' | 'sqlite' | 'keysSqlite'>,
): Promise<DatabaseDump> {
  const tables = allTables(db);
  const parts: string[] = [];
  for (const [name, rows] of tables) {
    parts.push(
      `== ${name}`,
      JSON.stringify(rows, (_key, value: unknown) => printable(value)),
    );
    for (const row of rows) for (const value of Object.values(row)) parts.push(...leaves(value));
  }
  const files = new Map<string, Buffer>();
  for (const file of [db.path, `${db.path}-wal`, `${db.path}-journal`, db.keysPath, `${db.keysPath}-wal`]) {
    const bytes = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (bytes) files.set(path.basename(file), bytes);
  }
  const rawText = [...files].map(([name, bytes]) => `== file ${name}\n${bytes.toString('utf8')}`).join('\n');
  return { tables, files, text: `${parts.join('\n')}\n${rawText}`, rawText };
}

function printable(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
    return { base64: Buffer.from((value as { data: number[] }).data).toString('base64') };
  }
  return value;
}

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  if (Buffer.isBuffer(value)) return [value.toString('base64'), value.toString('utf8')];
  return [];
}

/**
 * The needles found in `haystack` as whole words: a short one such as "4711" must not count when
 * it merely occurs inside a hex id or a base64 run, but does count inside a sentence or a JSON string.
 */
export function leaksIn(haystack: string, needles: readonly string[]): string[] {
  return needles.filter((needle) => {
    const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'u').test(haystack);
  });
}

/**
 * Rows naming `subjectId` in any column of any table, per table: what is left of a person. The
 * value may be the whole column (subject_id) or part of it (an id that starts with it).
 */
export function rowsMentioning(
  db: Pick<TestDatabase, 'sqlite' | 'keysSqlite'>,
  subjectId: string,
): Map<string, Row[]> {
  const found = new Map<string, Row[]>();
  for (const [name, rows] of allTables(db)) {
    const mine = rows.filter((row) =>
      Object.values(row).some(
        (value) =>
          (typeof value === 'string' && value.includes(subjectId)) ||
          (Buffer.isBuffer(value) && value.includes(subjectId)),
      ),
    );
    if (mine.length > 0) found.set(name, mine);
  }
  return found;
}

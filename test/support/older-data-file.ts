import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { type SqliteBackend, openSqliteBackend } from '../../src/storage/sqlite/backend';
import { DATA_MIGRATIONS, migrate } from '../../src/storage/sqlite/migrations';
import { DATA_FILE, KEYS_FILE } from './db';

/** A sealer for stores whose test seals nothing: a call to it is a failure. */
export const UNUSED_SEALER = {
  seal: () => Promise.reject(new Error('unused')),
  openText: () => Promise.reject(new Error('unused')),
};

/**
 * A data file as the code of an older schema version left it, in a fresh directory for each test
 * (deleted after it), for the migration tests: `write(version, ...rows)` creates it with the
 * migrations up to `version` and nothing after, and the rows that code stored; `open()` opens the
 * files the way the bot now does, migrating them.
 */
export function olderDataFilePerTest(prefix: string) {
  let dir: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const current = (): string => {
    if (!dir) throw new Error('no directory: call olderDataFilePerTest at the top of the file');
    return dir;
  };

  return {
    /**
     * Writes the data file as the code of schema `version` did: its migrations and nothing after,
     * then `statements` (the rows that code had stored), and closes it.
     */
    write(version: number, ...statements: string[]): void {
      const old = new Database(path.join(current(), DATA_FILE));
      try {
        migrate(
          old,
          DATA_MIGRATIONS.filter((migration) => migration.version <= version),
        );
        expect(old.pragma('user_version', { simple: true })).toBe(version);
        for (const statement of statements) old.prepare(statement).run();
      } finally {
        old.close();
      }
    },
    /** The data file and a new key file, opened by the current code. */
    open(): SqliteBackend {
      return openSqliteBackend({
        path: path.join(current(), DATA_FILE),
        keysPath: path.join(current(), KEYS_FILE),
        logger: pino({ level: 'silent' }),
      });
    },
  };
}

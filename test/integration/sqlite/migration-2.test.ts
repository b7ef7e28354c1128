import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { openSqliteBackend } from '../../../src/storage/sqlite/backend';
import { DATA_MIGRATIONS, migrate } from '../../../src/storage/sqlite/migrations';

/**
 * Migration 2 (breach register) on a data file written by the code before it: version 1 with
 * people in it is brought to version 2 on open, in one step, every row kept.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sqlite-migration-2-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds breaches and breach_notices to a version-1 file and keeps what was there', async () => {
  const file = path.join(dir, 'bot.sqlite');
  const old = new Database(file);
  migrate(
    old,
    DATA_MIGRATIONS.filter((migration) => migration.version === 1),
  );
  expect(old.pragma('user_version', { simple: true })).toBe(1);
  old
    .prepare(
      `INSERT INTO subjects (subject_id, policy_version, purposes, decided_at, locale, expires_at)
       VALUES ('s1', '2026-11-01', '{"history":true,"personalization":false,"analytics":false}', 1, 'de', 9e12)`,
    )
    .run();
  old
    .prepare(
      `INSERT INTO consent_ledger (subject_id, purpose, decision, policy_version, notice_hash, locale, channel, at, expires_at)
       VALUES ('s1', 'history', 'granted', '2026-11-01', '${'a'.repeat(64)}', 'de', 'console', 1, 9e12)`,
    )
    .run();
  old.close();

  const backend = openSqliteBackend({
    path: file,
    keysPath: path.join(dir, 'bot.keys.sqlite'),
    logger: pino({ level: 'silent' }),
  });
  try {
    // Brought to the newest version (migration 3 followed it since).
    expect(backend.db.pragma('user_version', { simple: true })).toBe(DATA_MIGRATIONS.at(-1)!.version);
    expect(
      backend.db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('breaches', 'breach_notices')`).all(),
    ).toHaveLength(2);
    const stores = backend.createStores(
      {
        seal: () => Promise.reject(new Error('unused')),
        openText: () => Promise.reject(new Error('unused')),
      },
      () => new Date(1000),
    );
    expect(await stores.subjects.get('s1')).toMatchObject({ subjectId: 's1', locale: 'de' });
    expect(await stores.consentLedger.list('s1')).toHaveLength(1);
    const breach = await stores.breaches.record(
      {
        what: 'other',
        occurredAt: new Date(1),
        recordedAt: new Date(2),
        affectsAll: false,
        expiresAt: new Date(9e12),
      },
      ['s1'],
    );
    expect(await stores.breaches.pendingFor('s1')).toEqual([breach]);
    // Notices go with their breach.
    expect(
      backend.db.prepare(`SELECT "table", on_delete FROM pragma_foreign_key_list('breach_notices')`).all(),
    ).toEqual([{ table: 'breaches', on_delete: 'CASCADE' }]);
  } finally {
    await backend.close();
  }
});

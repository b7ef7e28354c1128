import { DATA_MIGRATIONS } from '../../../src/storage/sqlite/migrations';
import { UNUSED_SEALER, olderDataFilePerTest } from '../../support/older-data-file';

/**
 * Migration 2 (breach register) on a data file written by the code before it: version 1 with
 * people in it is brought to version 2 on open, in one step, every row kept.
 */
const dataFile = olderDataFilePerTest('sqlite-migration-2-');

it('adds breaches and breach_notices to a version-1 file and keeps what was there', async () => {
  dataFile.write(
    1,
    `INSERT INTO subjects (subject_id, policy_version, purposes, decided_at, locale, expires_at)
       VALUES ('s1', '2026-11-01', '{"history":true,"personalization":false,"analytics":false}', 1, 'de', 9e12)`,
    `INSERT INTO consent_ledger (subject_id, purpose, decision, policy_version, notice_hash, locale, channel, at, expires_at)
       VALUES ('s1', 'history', 'granted', '2026-11-01', '${'a'.repeat(64)}', 'de', 'console', 1, 9e12)`,
  );

  const backend = dataFile.open();
  try {
    // Brought to the newest version (migration 3 followed it since).
    expect(backend.db.pragma('user_version', { simple: true })).toBe(DATA_MIGRATIONS.at(-1)!.version);
    expect(
      backend.db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('breaches', 'breach_notices')`).all(),
    ).toHaveLength(2);
    const stores = backend.createStores(UNUSED_SEALER, () => new Date(1000));
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

import { UNUSED_SEALER, olderDataFilePerTest } from '../../support/older-data-file';

/**
 * Migration 3 (anonymous usage counts, the analytics purpose) on a data file written by the code
 * before it: version 2 with people and a breach in it gets `usage_counts` on open, every row kept,
 * and the new table has no column that could name a person.
 */
const dataFile = olderDataFilePerTest('sqlite-migration-3-');

it('adds usage_counts to a version-2 file and keeps what was there', async () => {
  dataFile.write(
    2,
    `INSERT INTO subjects (subject_id, policy_version, purposes, decided_at, locale, expires_at)
       VALUES ('s1', '2026-11-01', '{"history":true,"personalization":false,"analytics":true}', 1, 'fr', 9e12)`,
    `INSERT INTO breaches (id, what, occurred_at, recorded_at, affects_all, expires_at)
       VALUES ('br_1', 'other', 1, 2, 1, 9e12)`,
  );

  const backend = dataFile.open();
  try {
    expect(backend.db.pragma('user_version', { simple: true })).toBe(3);
    const stores = backend.createStores(UNUSED_SEALER, () => new Date('2040-01-01T12:00:00Z'));
    expect(await stores.subjects.get('s1')).toMatchObject({ subjectId: 's1', locale: 'fr' });
    expect(await stores.breaches.list()).toHaveLength(1);

    await stores.usage.add([{ day: '2040-01-01', feature: 'help', count: 2 }], new Date(9e12));
    await stores.usage.add([{ day: '2040-01-01', feature: 'help', count: 1 }], new Date(9e12));
    expect(await stores.usage.list('2040-01-01', '2040-01-01')).toEqual([
      { day: '2040-01-01', feature: 'help', count: 3 },
    ]);

    const columns = backend.db
      .prepare<[], { name: string; type: string; pk: number }>(
        `SELECT name, type, pk FROM pragma_table_info('usage_counts') ORDER BY cid`,
      )
      .all();
    expect(columns).toEqual([
      { name: 'day', type: 'TEXT', pk: 1 },
      { name: 'feature', type: 'TEXT', pk: 2 },
      { name: 'count', type: 'INTEGER', pk: 0 },
      { name: 'expires_at', type: 'INTEGER', pk: 0 },
    ]);
    const table = backend.db
      .prepare<[], { sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'usage_counts'`)
      .get();
    expect(table?.sql).toMatch(/\) STRICT$/);
    // The sweep deletes by expiry through an index, as it does in every other table.
    const plan = backend.db
      .prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM usage_counts WHERE expires_at <= 1 LIMIT 200`)
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toContain('usage_counts_expiry');
  } finally {
    await backend.close();
  }
});

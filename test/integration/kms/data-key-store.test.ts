import { SqliteDataKeyStore } from '../../../src/storage/sqlite/data-key-store';
import { type TestDatabase, columnNames, openTestDatabase, tableNames } from '../../support/db';
import { describeDataKeyStoreContract, sampleRecord } from './data-key-store-contract';

/**
 * The wrapped data keys on the default backend: table `data_keys` in the key file, a database
 * file of its own beside the data file. (The MongoDB store passes the same contract in
 * `npm run test:mongo`.)
 */

let db: TestDatabase;

beforeAll(() => {
  db = openTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describeDataKeyStoreContract('SqliteDataKeyStore', () => {
  db.keysSqlite.exec('DELETE FROM data_keys');
  return Promise.resolve(db.backend.dataKeys);
});

describe('data_keys table', () => {
  beforeEach(() => {
    db.keysSqlite.exec('DELETE FROM data_keys');
  });

  const insertRaw = (subjectId: string) => {
    const record = sampleRecord(subjectId);
    db.keysSqlite
      .prepare(
        `INSERT INTO data_keys (subject_id, wrapped, key_version, provider_key_id, provider, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.subjectId,
        record.wrapped,
        record.keyVersion,
        record.providerKeyId,
        record.provider,
        record.createdAt.getTime(),
      );
  };

  it('holds one key per subject, enforced by SQLite itself', () => {
    // Straight to SQLite, past the store's race handling: the file must refuse the duplicate.
    insertRaw('s-unique');
    expect(() => insertRaw('s-unique')).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }),
    );
    expect(db.keysSqlite.prepare(`SELECT count(*) AS n FROM data_keys`).get()).toEqual({ n: 1 });
  });

  it('lives in the key file only, as a BLOB next to ids, with no expiry', async () => {
    expect(tableNames(db.keysSqlite)).toEqual(['data_keys']);
    expect(tableNames(db.sqlite)).not.toContain('data_keys');

    const record = sampleRecord('s-shape');
    await db.backend.dataKeys.insert(record);
    expect(columnNames(db.keysSqlite, 'data_keys').sort()).toEqual(
      [
        'created_at',
        'key_version',
        'provider',
        'provider_key_id',
        'rotated_at',
        'subject_id',
        'wrapped',
      ].sort(),
    );
    const raw = db.keysSqlite
      .prepare(`SELECT typeof(wrapped) AS type, wrapped FROM data_keys WHERE subject_id = ?`)
      .get('s-shape') as { type: string; wrapped: Buffer };
    expect(raw.type).toBe('blob');
    expect(raw.wrapped.equals(record.wrapped)).toBe(true);
  });

  it('reports a closed database as STORAGE_UNAVAILABLE, never as "no key"', async () => {
    const other = openTestDatabase();
    const store = new SqliteDataKeyStore(other.keysSqlite);
    await other.close();
    try {
      await expect(store.find('s1')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      await expect(store.delete('s1')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      await expect(store.insert(sampleRecord('s1'))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      const iterate = async () => {
        for await (const _record of store.iterate(10)) void _record;
      };
      await expect(iterate()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    } finally {
      await other.drop();
    }
  });
});

import type Database from 'better-sqlite3';
import type { KeyProviderName } from '../../crypto/key-provider';
import type { DataKeyRecord, DataKeyStore, RewrappedRecord } from '../../crypto/data-key-store-port';
import { guarded } from './guard';
import { truncateWal } from './open-database';

interface DataKeyRow {
  subject_id: string;
  wrapped: Buffer;
  key_version: number;
  provider_key_id: string;
  provider: KeyProviderName;
  created_at: number;
  rotated_at: number | null;
}

/**
 * Wrapped data keys in table `data_keys` of the key file, a database of its own: a copy or
 * backup of the data file never holds a key, so shredding a key here makes every copy of that
 * person's data unreadable.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly select;
  private readonly insertNew;
  private readonly rewrap;
  private readonly remove;
  private readonly pageAfter;
  private readonly total;

  constructor(private readonly db: Database.Database) {
    this.select = db.prepare<[string], DataKeyRow>(`SELECT * FROM data_keys WHERE subject_id = ?`);
    // The first key for a subject wins; a loser reads the winner back (SELECT after DO NOTHING).
    this.insertNew = db.prepare(`
      INSERT INTO data_keys (subject_id, wrapped, key_version, provider_key_id, provider, created_at, rotated_at)
      VALUES (@subjectId, @wrapped, @keyVersion, @providerKeyId, @provider, @createdAt, @rotatedAt)
      ON CONFLICT (subject_id) DO NOTHING`);
    // The wrapped bytes identify the exact record read: a key re-created after a shred has other
    // bytes, so an old wrapping can never be written over it.
    this.rewrap = db.prepare(`
      UPDATE data_keys SET wrapped = @wrapped, provider_key_id = @providerKeyId, provider = @provider,
        rotated_at = @rotatedAt
      WHERE subject_id = @subjectId AND key_version = @keyVersion AND wrapped = @expectedWrapped`);
    this.remove = db.prepare(`DELETE FROM data_keys WHERE subject_id = ?`);
    this.pageAfter = db.prepare<[string, number], DataKeyRow>(
      `SELECT * FROM data_keys WHERE subject_id > ? ORDER BY subject_id LIMIT ?`,
    );
    this.total = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM data_keys`);
  }

  find(subjectId: string): Promise<DataKeyRecord | undefined> {
    return guarded('data_keys.find', () => {
      const row = this.select.get(subjectId);
      return row ? toRecord(row) : undefined;
    });
  }

  insert(record: DataKeyRecord): Promise<DataKeyRecord> {
    return guarded('data_keys.insert', () => {
      const inserted = this.insertNew.run({
        subjectId: record.subjectId,
        wrapped: record.wrapped,
        keyVersion: record.keyVersion,
        providerKeyId: record.providerKeyId,
        provider: record.provider,
        createdAt: record.createdAt.getTime(),
        rotatedAt: record.rotatedAt?.getTime() ?? null,
      });
      if (inserted.changes === 1) return record;
      const winner = this.select.get(record.subjectId);
      if (!winner) throw new Error('data key vanished between insert and read');
      return toRecord(winner);
    });
  }

  updateWrapped(
    subjectId: string,
    expected: Pick<DataKeyRecord, 'keyVersion' | 'wrapped'>,
    next: RewrappedRecord,
  ): Promise<boolean> {
    return guarded('data_keys.updateWrapped', () => {
      const result = this.rewrap.run({
        subjectId,
        keyVersion: expected.keyVersion,
        expectedWrapped: expected.wrapped,
        wrapped: next.wrapped,
        providerKeyId: next.providerKeyId,
        provider: next.provider,
        rotatedAt: next.rotatedAt.getTime(),
      });
      return result.changes === 1;
    });
  }

  delete(subjectId: string): Promise<boolean> {
    return guarded('data_keys.delete', () => {
      const existed = this.remove.run(subjectId).changes > 0;
      // secure_delete zeroes the row in the page, but the page's old image stays in the WAL until
      // a checkpoint: fold it in and truncate the log, so no copy of the files holds the key.
      if (existed) truncateWal(this.db);
      return existed;
    });
  }

  /** Pages in subject order, which never changes, so rewriting a record cannot bring it round again. */
  async *iterate(batchSize: number): AsyncGenerator<DataKeyRecord> {
    let after = '';
    while (true) {
      const rows = await guarded('data_keys.iterate', () => this.pageAfter.all(after, batchSize));
      for (const row of rows) yield toRecord(row);
      const last = rows.at(-1);
      if (!last || rows.length < batchSize) return;
      after = last.subject_id;
    }
  }

  count(): Promise<number> {
    return guarded('data_keys.count', () => this.total.get()?.n ?? 0);
  }
}

function toRecord(row: DataKeyRow): DataKeyRecord {
  return {
    subjectId: row.subject_id,
    wrapped: Buffer.from(row.wrapped),
    keyVersion: row.key_version,
    providerKeyId: row.provider_key_id,
    provider: row.provider,
    createdAt: new Date(row.created_at),
    ...(row.rotated_at !== null && { rotatedAt: new Date(row.rotated_at) }),
  };
}

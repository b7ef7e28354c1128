import type Database from 'better-sqlite3';
import type { EncryptedDataIndex } from '../ports';
import { guarded } from './guard';

/** EncryptedDataIndex on the data file: the subjects of `history` and `profiles`, expired or not. */
export class SqliteEncryptedDataIndex implements EncryptedDataIndex {
  private readonly subjects;

  constructor(db: Database.Database) {
    this.subjects = db.prepare<[], { subject_id: string }>(
      'SELECT subject_id FROM history UNION SELECT subject_id FROM profiles ORDER BY subject_id',
    );
  }

  subjectsWithEncryptedData(): Promise<string[]> {
    return guarded('encryptedData.subjects', () => this.subjects.all().map((row) => row.subject_id));
  }
}

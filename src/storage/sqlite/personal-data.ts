import type Database from 'better-sqlite3';
import type { ErasedData, PersonalDataEraser } from '../ports';
import { guarded } from './guard';
import { truncateWal } from './open-database';

/** One person's consent state, dialog state, history and profile, deleted in one transaction. */
export class SqlitePersonalDataEraser implements PersonalDataEraser {
  private readonly eraseAll;

  constructor(private readonly db: Database.Database) {
    const remove = (table: string) => db.prepare<[string]>(`DELETE FROM ${table} WHERE subject_id = ?`);
    const subjects = remove('subjects');
    const conversations = remove('conversation_state');
    const history = remove('history');
    // Profile fields go with the profile row (foreign key, cascade).
    const profiles = remove('profiles');
    this.eraseAll = db.transaction((subjectId: string): ErasedData => ({
      consentState: subjects.run(subjectId).changes > 0,
      conversations: conversations.run(subjectId).changes,
      history: history.run(subjectId).changes,
      profile: profiles.run(subjectId).changes > 0,
    }));
  }

  eraseAllOf(subjectId: string): Promise<ErasedData> {
    return guarded('personalData.eraseAllOf', () => {
      const erased = this.eraseAll(subjectId);
      // The deleted rows' old page images must not outlive them in the WAL (see truncateWal).
      truncateWal(this.db);
      return erased;
    });
  }
}

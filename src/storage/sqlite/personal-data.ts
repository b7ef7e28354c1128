import type Database from 'better-sqlite3';
import type { ErasedData, PersonalDataEraser } from '../ports';
import { guarded } from './guard';
import { ERASE_AT_ONCE, type HistoryEraser } from './history-eraser';
import type { EmptyWal } from './open-database';

/**
 * One person's consent state, dialog state, profile and history, deleted in one transaction;
 * beyond its first ERASE_AT_ONCE rows the history is hidden from every read as it commits and
 * deleted in the background (history-eraser.ts), so an erasure takes about the same time however
 * long the history (only counting the rows grows with it, ~0.1 us a row).
 */
export class SqlitePersonalDataEraser implements PersonalDataEraser {
  private readonly eraseAll;

  constructor(
    db: Database.Database,
    private readonly emptyWal: EmptyWal,
    private readonly history: HistoryEraser,
  ) {
    const remove = (table: string) => db.prepare<[string]>(`DELETE FROM ${table} WHERE subject_id = ?`);
    const subjects = remove('subjects');
    const conversations = remove('conversation_state');
    // Profile fields go with the profile row (foreign key, cascade).
    const profiles = remove('profiles');
    // Rows an earlier erasure already hid are not counted again.
    const firstHistory = db.prepare<{ subjectId: string; hidden: number; batch: number }>(`
      DELETE FROM history WHERE seq IN (
        SELECT seq FROM history WHERE subject_id = @subjectId AND seq > @hidden LIMIT @batch)`);
    const restOfHistory = db
      .prepare<{ subjectId: string; hidden: number }, number>(
        `SELECT count(*) FROM history WHERE subject_id = @subjectId AND seq > @hidden`,
      )
      .pluck();
    this.eraseAll = db.transaction((subjectId: string): { erased: ErasedData; hideUpTo: number } => {
      const visible = { subjectId, hidden: history.hiddenUpTo(subjectId) };
      const consentState = subjects.run(subjectId).changes > 0;
      const first = firstHistory.run({ ...visible, batch: ERASE_AT_ONCE }).changes;
      const rest = first < ERASE_AT_ONCE ? 0 : (restOfHistory.get(visible) ?? 0);
      return {
        erased: {
          consentState,
          conversations: conversations.run(subjectId).changes,
          history: first + rest,
          profile: profiles.run(subjectId).changes > 0,
        },
        // No row of theirs can be added above this: their consent state is gone from now on.
        hideUpTo: rest > 0 ? history.newestRow() : 0,
      };
    });
  }

  eraseAllOf(subjectId: string): Promise<ErasedData> {
    return guarded('personalData.eraseAllOf', () => {
      const { erased, hideUpTo } = this.eraseAll(subjectId);
      // Hidden from every read before anything else runs; deleted in the background (a failure
      // is logged there, and the next retention pass tries again).
      if (hideUpTo > 0) this.history.hide(subjectId, hideUpTo);
      // The deleted rows' old page images must not outlive them in the WAL (see truncateWal).
      this.emptyWal();
      if (hideUpTo > 0) void this.history.schedule();
      return erased;
    });
  }
}

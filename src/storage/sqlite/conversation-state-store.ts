import type Database from 'better-sqlite3';
import type { ActiveDialog, ConversationState, ConversationStateStore } from '../ports';
import { guarded } from './guard';

/** Open dialog steps in table `conversation_state`, keyed by the (subject, conversation) pair. */
export class SqliteConversationStateStore implements ConversationStateStore {
  private readonly select;
  private readonly upsert;
  private readonly removeOne;
  private readonly removeAll;

  constructor(
    db: Database.Database,
    private readonly clock: () => Date,
  ) {
    this.select = db.prepare<[string, string, number], { active_dialog: string | null }>(`
      SELECT active_dialog FROM conversation_state
      WHERE subject_id = ? AND conversation_id = ? AND expires_at > ?`);
    this.upsert = db.prepare(`
      INSERT INTO conversation_state (subject_id, conversation_id, active_dialog, updated_at, expires_at)
      VALUES (@subjectId, @conversationId, @activeDialog, @updatedAt, @expiresAt)
      ON CONFLICT (subject_id, conversation_id) DO UPDATE SET active_dialog = excluded.active_dialog,
        updated_at = excluded.updated_at, expires_at = excluded.expires_at`);
    this.removeOne = db.prepare(
      `DELETE FROM conversation_state WHERE subject_id = ? AND conversation_id = ?`,
    );
    this.removeAll = db.prepare(`DELETE FROM conversation_state WHERE subject_id = ?`);
  }

  load(subjectId: string, conversationId: string): Promise<ConversationState | null> {
    return guarded('conversations.load', () => {
      const row = this.select.get(subjectId, conversationId, this.clock().getTime());
      if (!row?.active_dialog) return null;
      const { dialogId, step, data } = JSON.parse(row.active_dialog) as ActiveDialog;
      return { activeDialog: { dialogId, step, ...(data ? { data: { ...data } } : {}) } };
    });
  }

  save(subjectId: string, conversationId: string, state: ConversationState, expiresAt: Date): Promise<void> {
    return guarded('conversations.save', () => {
      this.upsert.run({
        subjectId,
        conversationId,
        activeDialog: state.activeDialog ? JSON.stringify(state.activeDialog) : null,
        updatedAt: this.clock().getTime(),
        expiresAt: expiresAt.getTime(),
      });
    });
  }

  clear(subjectId: string, conversationId: string): Promise<void> {
    return guarded('conversations.clear', () => void this.removeOne.run(subjectId, conversationId));
  }

  deleteAllOf(subjectId: string): Promise<number> {
    return guarded('conversations.deleteAllOf', () => this.removeAll.run(subjectId).changes);
  }
}

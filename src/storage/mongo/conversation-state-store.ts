import type { Connection, Model } from 'mongoose';
import type { ConversationState, ConversationStateStore } from '../ports';
import { live } from './expiry';
import { guarded } from './guard';
import { conversationStateModel, type ConversationStateDoc } from './models/conversation-state';

/** Open dialog steps in collection `conversation_state`, one document per person and conversation. */
export class MongoConversationStateStore implements ConversationStateStore {
  private readonly model: Model<ConversationStateDoc>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date,
  ) {
    this.model = conversationStateModel(connection);
  }

  load(subjectId: string, conversationId: string): Promise<ConversationState | null> {
    return guarded('conversations.load', async () => {
      const doc = await this.model
        .findOne({ _id: stateKey(subjectId, conversationId), ...live(this.clock()) })
        .lean<ConversationStateDoc>()
        .exec();
      if (!doc?.activeDialog) return null;
      const { dialogId, step, data } = doc.activeDialog;
      return { activeDialog: { dialogId, step, ...(data ? { data: { ...data } } : {}) } };
    });
  }

  save(subjectId: string, conversationId: string, state: ConversationState, expiresAt: Date): Promise<void> {
    return guarded('conversations.save', async () => {
      await this.model
        .replaceOne(
          { _id: stateKey(subjectId, conversationId) },
          { subjectId, ...state, updatedAt: this.clock(), expiresAt },
          { upsert: true },
        )
        .exec();
    });
  }

  clear(subjectId: string, conversationId: string): Promise<void> {
    return guarded('conversations.clear', async () => {
      await this.model.deleteOne({ _id: stateKey(subjectId, conversationId) }).exec();
    });
  }

  deleteAllOf(subjectId: string): Promise<number> {
    return guarded('conversations.deleteAllOf', async () => {
      const result = await this.model.deleteMany({ subjectId }).exec();
      return result.deletedCount;
    });
  }
}

/**
 * One key per (person, conversation) pair. A JSON array, not `${s}:${c}`: with a separator,
 * ("a:b", "c") and ("a", "b:c") would share a document (STORAGE-CONTRACT C3). Documents saved
 * under the old key are no longer found and expire within RETENTION_STATE_HOURS.
 */
export function stateKey(subjectId: string, conversationId: string): string {
  return JSON.stringify([subjectId, conversationId]);
}

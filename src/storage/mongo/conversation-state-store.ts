import type { Connection } from 'mongoose';
import type { ConversationState, ConversationStateStore } from '../ports';
import { guarded } from './guard';
import { conversationStateModel, type ConversationStateDoc } from './models/conversation-state';

export class MongoConversationStateStore implements ConversationStateStore {
  private readonly model;

  constructor(connection: Connection) {
    this.model = conversationStateModel(connection);
  }

  load(subjectId: string, conversationId: string): Promise<ConversationState | null> {
    return guarded('conversations.load', async () => {
      const doc = await this.model
        .findOne({ _id: key(subjectId, conversationId), expiresAt: { $gt: new Date() } })
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
          { _id: key(subjectId, conversationId) },
          { subjectId, ...state, updatedAt: new Date(), expiresAt },
          { upsert: true },
        )
        .exec();
    });
  }

  clear(subjectId: string, conversationId: string): Promise<void> {
    return guarded('conversations.clear', async () => {
      await this.model.deleteOne({ _id: key(subjectId, conversationId) }).exec();
    });
  }

  deleteAllOf(subjectId: string): Promise<number> {
    return guarded('conversations.deleteAllOf', async () => {
      const result = await this.model.deleteMany({ subjectId }).exec();
      return result.deletedCount;
    });
  }
}

function key(subjectId: string, conversationId: string): string {
  return `${subjectId}:${conversationId}`;
}

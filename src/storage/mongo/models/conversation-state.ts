import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from './model-on';

export interface ConversationStateDoc {
  /** `JSON.stringify([subjectId, conversationId])`: one state per person per conversation. */
  _id: string;
  subjectId: string;
  activeDialog?: { dialogId: string; step: string; data?: Record<string, string> };
  updatedAt: Date;
  /** TTL: idle dialog state expires after RETENTION_STATE_HOURS. */
  expiresAt: Date;
}

const conversationStateSchema = new Schema<ConversationStateDoc>(
  {
    _id: { type: String, required: true },
    subjectId: { type: String, required: true },
    activeDialog: {
      type: new Schema(
        { dialogId: String, step: String, data: { type: Map, of: String } },
        { _id: false, versionKey: false },
      ),
    },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'conversation_state', versionKey: false },
);
conversationStateSchema.index({ subjectId: 1 });
conversationStateSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function conversationStateModel(connection: Connection): Model<ConversationStateDoc> {
  return modelOn(connection, 'ConversationState', conversationStateSchema);
}

import type { Next } from '../../core/pipeline';
import type { Turn } from '../turn';

/**
 * Loads the dialog state of this person in this conversation before the turn and saves it after.
 * Conversation state exists only for people who made a consent decision (under any policy
 * version: a rights dialog such as /delete must work after a policy change too), and is written
 * back only when a dialog changed it. It expires after RETENTION_STATE_HOURS of silence.
 */
export async function conversationState(turn: Turn, next: Next): Promise<void> {
  const { conversations } = turn.services.stores;
  if (turn.subject) turn.loadState(await conversations.load(turn.subjectId, turn.conversationId));
  await next();
  const { dirty, state } = turn.pendingState;
  if (!dirty || !turn.subject) return;
  if (state.activeDialog) {
    const expiresAt = new Date(turn.now.getTime() + turn.config.retention.stateMs);
    await conversations.save(turn.subjectId, turn.conversationId, state, expiresAt);
  } else {
    await conversations.clear(turn.subjectId, turn.conversationId);
  }
}

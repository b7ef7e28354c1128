import { errorCode } from '../../core/errors';
import type { Next } from '../../core/pipeline';
import { logId } from '../../logging/log-id';
import { breachNoticeText, heldRecordsBy } from '../../privacy/breach';
import type { Turn } from '../turn';

/**
 * GDPR Art. 34 (and Telegram's and Discord's terms): a person affected by a breach the operator
 * recorded (`npm run privacy -- breach record`) sees its notice at their next message, before
 * the answer, once, in their language. It runs right after the speaker is identified and the
 * turn is admitted (input guard, rate limit), before the consent gate: the notice is owed to
 * people whatever they decided since, including those who refused storage or have not answered
 * a new policy version yet. Who counts as affected by a breach of "all" is argued at
 * heldRecordsBy (src/privacy/breach.ts); nothing is read or written for a person the bot holds
 * nothing about, beyond the one query for live breaches.
 *
 * Once: the notice is claimed (markNotified) before it is added, so two turns at the same moment
 * show it once. In a group it goes to the speaker privately (privateToSpeaker): a listed breach
 * says that this person was affected, which is nobody else's business. It is not posted in the
 * group even when the platform cannot reach the speaker privately (a Telegram user who never
 * opened a chat with the bot); the runbook covers those people with a public statement
 * (GDPR Art. 34(3)(c)). A failure here is logged and the turn goes on: the notice stays pending
 * and comes at the next message.
 */
export async function breachNotice(turn: Turn, next: Next): Promise<void> {
  try {
    await showPendingNotices(turn);
  } catch (error) {
    turn.services.logger.warn(
      { subject: logId(turn.subjectId), code: errorCode(error) },
      'breach notice not shown',
    );
  }
  await next();
}

async function showPendingNotices(turn: Turn): Promise<void> {
  const { stores } = turn.services;
  const pending = await stores.breaches.pendingFor(turn.subjectId);
  for (const breach of pending) {
    if (breach.affectsAll && !(await heldRecordsBy(stores, turn.subjectId, turn.subject, breach.recordedAt)))
      continue;
    if (!(await stores.breaches.markNotified(breach.id, turn.subjectId, turn.now))) continue;
    turn.say(breachNoticeText(turn.t, turn.locale, breach, turn.config), { privateToSpeaker: true });
  }
}

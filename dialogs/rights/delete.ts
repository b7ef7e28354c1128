import { errorCode } from '../../src/core/errors';
import { actionId, type Dialog } from '../../src/engine/dialog';
import type { Turn } from '../../src/engine/turn';
import { normalisePhrase } from '../../src/i18n/i18n';
import { retentionText } from '../privacy/retention-text';
import { requester } from './requester';

const ID = 'delete';
/** A confirm button older than this asks again: nobody erases everything with a stale tap. */
const CONFIRMATION_TTL_MS = 15 * 60 * 1000;

/**
 * `/delete`, `/forgetme`, "delete my data": GDPR Art. 17, CCPA right to delete. Explain, ask
 * for an explicit yes (button, or the typed confirmation word where buttons are missing), then
 * crypto-shred and delete everything (src/privacy/rights/erasure.ts). A failure is told to the
 * person and logged with its code; sending /delete again completes it.
 */
export const deleteDialog: Dialog = {
  id: ID,
  commands: ['/delete', '/forgetme'],
  intent: 'delete',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn) {
    const { history, profile, subject } = await turn.services.rights.summary(turn.subjectId);
    if (!subject && history.count === 0 && !profile) {
      // Nothing to lose, so no confirmation: the request is still recorded, and any leftover key shredded.
      await erase(turn, 'delete.nothingHeld');
      return;
    }
    const issued = Math.floor(turn.now.getTime() / 1000).toString(36);
    turn.await(ID, 'confirm', { issued });
    turn.say(
      turn.t('delete.explain', {
        count: history.count,
        word: turn.t('delete.confirmWord'),
      }),
      {
        actions: [
          { id: actionId(ID, 'confirm', issued), label: turn.t('delete.confirmButton') },
          { id: actionId(ID, 'cancel'), label: turn.t('delete.cancelButton') },
        ],
      },
    );
  },

  async onAction(turn, verb, [issued]) {
    if (verb === 'cancel') return cancel(turn);
    if (verb === 'confirm') return confirmed(turn, issued);
    turn.say(turn.t('input.unknownAction'));
  },

  async onText(turn, text) {
    const word = normalisePhrase(turn.t('delete.confirmWord'));
    if (normalisePhrase(text) === word) return confirmed(turn, turn.activeDialog?.data?.issued);
    return cancel(turn);
  },
};

async function confirmed(turn: Turn, issued: string | undefined): Promise<void> {
  const issuedMs = issued ? parseInt(issued, 36) * 1000 : NaN;
  const age = turn.now.getTime() - issuedMs;
  // Where dialog state is kept (anyone with a consent record), the button must be the one the
  // open /delete offered: after Cancel, an older "Yes" erases nothing.
  const stateKept = turn.subject !== null;
  const offered = turn.activeDialog?.dialogId === ID && turn.activeDialog.data?.issued === issued;
  if (!(age >= 0 && age <= CONFIRMATION_TTL_MS) || (stateKept && !offered)) {
    turn.endDialog();
    turn.say(turn.t('delete.expired'));
    return;
  }
  await erase(turn, 'delete.done');
}

async function erase(turn: Turn, doneKey: 'delete.done' | 'delete.nothingHeld'): Promise<void> {
  try {
    await turn.services.rights.erase(requester(turn));
  } catch (error) {
    // Logged with its code by the request ledger; the person learns it did not finish. Nothing
    // of this turn is stored: a history write now would create a new data key mid-erasure.
    turn.keepOutOfHistory();
    turn.subject = null;
    turn.say(turn.t('delete.failed', { code: errorCode(error) }));
    return;
  }
  // Nothing of this person is left to load or save for the rest of the turn.
  turn.subject = null;
  turn.endDialog();
  turn.say(
    turn.t(doneKey, { retention: retentionText(turn.t, { months: turn.config.retention.evidenceMonths }) }),
  );
}

function cancel(turn: Turn): void {
  turn.endDialog();
  turn.say(turn.t('delete.cancelled'));
}

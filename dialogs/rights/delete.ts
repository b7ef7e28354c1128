import { errorCode } from '../../src/core/errors';
import { actionId, type Dialog } from '../../src/engine/turn';
import { CANCEL_VERB, CONFIRMATION_STEP } from '../../src/engine/steps/resolve-route';
import type { Turn } from '../../src/engine/turn';
import { normalisePhrase } from '../../src/i18n/i18n';
import { confirmationStamp, fromFreeText, isFresh } from '../confirmation';
import { retentionText } from '../privacy/retention-text';
import { requester } from './requester';

const ID = 'delete';

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
    if (!subject && history.count === 0 && !profile && !fromFreeText(turn)) {
      // Nothing to lose, so no confirmation: the request is still recorded, and any leftover key
      // shredded. Said in words it still asks: the classifier may have misread a sentence.
      await erase(turn, 'delete.nothingHeld');
      return;
    }
    const issued = confirmationStamp(turn);
    turn.waitForReply(ID, CONFIRMATION_STEP, { issued });
    turn.say(
      turn.t('delete.explain', {
        count: history.count,
        word: turn.t('delete.confirmWord'),
      }),
      {
        actions: [
          { id: actionId(ID, 'confirm', issued), label: turn.t('delete.confirmButton') },
          { id: actionId(ID, CANCEL_VERB), label: turn.t('delete.cancelButton') },
        ],
      },
    );
  },

  async onAction(turn, verb, [issued]) {
    if (verb === CANCEL_VERB) return cancel(turn);
    if (verb === 'confirm') return confirmed(turn, issued);
    turn.say(turn.t('input.unknownAction'));
  },

  /**
   * Only reached with an explicit answer (the confirmation word, yes or no); any other request
   * typed meanwhile cancels visibly and is then answered as itself (resolve-route.ts).
   */
  async onText(turn, text) {
    const word = normalisePhrase(turn.t('delete.confirmWord'));
    const yes = normalisePhrase(text) === word || turn.services.i18n.answerOf(text) === 'yes';
    if (yes) return confirmed(turn, turn.activeDialog?.data?.issued);
    // "delete my data" said again is neither a yes nor a no: explain and ask again.
    if (turn.services.i18n.matchIntent(text)?.intent === ID) return this.start(turn, '');
    return cancel(turn);
  },
};

async function confirmed(turn: Turn, issued: string | undefined): Promise<void> {
  // Where dialog state is kept (anyone with a consent record), the button must be the one the
  // open /delete offered: after Cancel, an older "Yes" erases nothing.
  const stateKept = turn.subject !== null;
  const offered = turn.activeDialog?.dialogId === ID && turn.activeDialog.data?.issued === issued;
  if (!isFresh(turn, issued) || (stateKept && !offered)) {
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

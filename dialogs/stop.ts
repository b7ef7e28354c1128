import { actionId, type Dialog } from '../src/engine/turn';
import { CANCEL_VERB, CONFIRMATION_STEP } from '../src/engine/steps/resolve-route';
import type { Turn } from '../src/engine/turn';
import { NO_PURPOSES } from '../src/privacy/purposes';
import { renderNotice } from './consent/notice';
import { confirmationStamp, fromFreeText, isFresh } from './confirmation';

const ID = 'stop';

/**
 * `/stop` withdraws every consent in one step, as easy as giving it (GDPR Art. 7(3)). Works before
 * any decision too, and is then recorded as a refusal. Said in words ("opt me out", "abmelden"),
 * it first asks, with buttons saying what will happen: a sentence the classifier misread must
 * never delete anyone's history.
 */
export const stopDialog: Dialog = {
  id: ID,
  commands: ['/stop', '/optout'],
  intent: 'stop',
  beforeConsent: true,

  async start(turn) {
    if (!fromFreeText(turn)) return withdraw(turn);
    const issued = confirmationStamp(turn);
    turn.waitForReply(ID, CONFIRMATION_STEP, { issued });
    turn.say(turn.t('stop.confirm'), {
      privateToSpeaker: true,
      actions: [
        { id: actionId(ID, 'confirm', issued), label: turn.t('stop.confirmButton') },
        { id: actionId(ID, CANCEL_VERB), label: turn.t('stop.cancelButton') },
      ],
    });
  },

  async onAction(turn, verb, [issued]) {
    if (verb === CANCEL_VERB) return cancel(turn);
    if (verb === 'confirm') return confirmed(turn, issued);
    turn.say(turn.t('input.unknownAction'));
  },

  /** Only reached with an explicit answer; anything else typed meanwhile cancels (resolve-route.ts). */
  async onText(turn, text) {
    const { i18n } = turn.services;
    if (i18n.answerOf(text) === 'yes') return confirmed(turn, turn.activeDialog?.data?.issued);
    // "opt out" said again is neither a yes nor a no: ask again rather than guess.
    if (i18n.matchIntent(text)?.intent === ID) return this.start(turn, '');
    return cancel(turn);
  },
};

async function confirmed(turn: Turn, issued: string | undefined): Promise<void> {
  // Where this conversation holds the question, only its own button answers it. A question asked
  // in a group is answered privately, where no state is held: there the button's age decides,
  // and a forged one does no more than /stop itself, for the presser only.
  const pending = turn.activeDialog?.dialogId === ID ? turn.activeDialog.data?.issued : undefined;
  if (!isFresh(turn, issued) || (pending !== undefined && pending !== issued)) {
    turn.endDialog();
    turn.say(turn.t('stop.expired'), { privateToSpeaker: true });
    return;
  }
  await withdraw(turn);
}

async function withdraw(turn: Turn): Promise<void> {
  turn.endDialog();
  turn.subject = await turn.services.consent.decide({
    subjectId: turn.subjectId,
    choices: NO_PURPOSES,
    noticeText: renderNotice(turn),
    locale: turn.locale,
    channel: turn.message.channel,
    at: turn.now,
  });
  turn.say(turn.t('stop.done'), { privateToSpeaker: true });
}

function cancel(turn: Turn): void {
  turn.endDialog();
  turn.say(turn.t('stop.cancelled'), { privateToSpeaker: true });
}

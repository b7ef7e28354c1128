import type { Dialog } from '../src/engine/dialog';
import { NO_PURPOSES } from '../src/privacy/purposes';
import { renderNotice } from './consent/notice';

/**
 * `/stop` and "opt out", "abmelden", ...: withdraw every consent in one step, as easy as giving
 * it (GDPR Art. 7(3)). Works before any decision too, and is then recorded as a refusal.
 */
export const stopDialog: Dialog = {
  id: 'stop',
  commands: ['/stop', '/optout'],
  intent: 'stop',
  beforeConsent: true,

  async start(turn) {
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
  },
};

import type { Dialog } from '../../src/engine/turn';
import type { RightsRequestDeadlineName } from '../../src/privacy/deadlines';
import { complaintText, controllerLines, noSaleText } from './controller-text';
import { dataMapLines } from './data-map';

/** The deadline in the law's own terms (RIGHTS_REQUEST_DEADLINE): a month is not 30 days. */
export const DEADLINE_KEYS: Record<RightsRequestDeadlineName, string> = {
  gdpr: 'privacy.deadlineGdpr',
  ccpa: 'privacy.deadlineCcpa',
};

/**
 * `/privacy` on every channel (Telegram's bot terms require it): the policy in plain words, the
 * data map (every notice entry of the records of processing), the rights commands, the controller
 * and processors, the right to complain and the CCPA statement. In a group: a pointer.
 */
export const privacyDialog: Dialog = {
  id: 'privacy',
  commands: ['/privacy'],
  intent: 'privacy',
  beforeConsent: true,

  async start(turn) {
    const { t, config } = turn;
    if (!turn.message.isPrivateChat) {
      turn.say(t('privacy.groupShort'), { privateToSpeaker: true, publicFallback: true });
      return;
    }
    const sections = [
      t('privacy.intro', { policyVersion: config.privacy.policyVersion }),
      [t('privacy.dataMapTitle'), ...dataMapLines(t, config)].join('\n'),
      t('privacy.rights', { deadline: t(DEADLINE_KEYS[config.privacy.rightsRequestDeadline]) }),
      controllerLines(t, config).join('\n'),
      complaintText(t, config),
      noSaleText(t, config),
    ];
    if (config.privacy.policyUrl) sections.push(t('privacy.policyLink', { url: config.privacy.policyUrl }));
    turn.say(sections.join('\n\n'));
  },
};

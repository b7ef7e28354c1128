import type { Dialog } from '../../src/engine/dialog';
import type { RightsRequestDeadlineName } from '../../src/privacy/deadlines';
import { dataMapLines } from './data-map';

/** The deadline in the law's own terms (RIGHTS_REQUEST_DEADLINE): a month is not 30 days. */
const DEADLINE_KEYS: Record<RightsRequestDeadlineName, string> = {
  gdpr: 'privacy.deadlineGdpr',
  ccpa: 'privacy.deadlineCcpa',
};

/**
 * `/privacy` on every channel (Telegram's bot terms require it): the policy in plain words, the
 * data map, the rights commands and the contact. In a group: a short version and a pointer.
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
      t('privacy.contact', { contact: config.privacy.contact }),
    ];
    if (config.privacy.policyUrl) sections.push(t('privacy.policyLink', { url: config.privacy.policyUrl }));
    turn.say(sections.join('\n\n'));
  },
};

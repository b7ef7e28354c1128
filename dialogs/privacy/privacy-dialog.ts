import type { Dialog } from '../../src/engine/dialog';
import { dataMapLines } from './data-map';

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
      t('privacy.rights', { dueDays: Math.round(config.privacy.rightsRequestDueMs / 86_400_000) }),
      t('privacy.contact', { contact: config.privacy.contact }),
    ];
    if (config.privacy.policyUrl) sections.push(t('privacy.policyLink', { url: config.privacy.policyUrl }));
    turn.say(sections.join('\n\n'));
  },
};

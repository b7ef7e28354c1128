import type { FallbackDialog } from '../src/engine/services';

/** `/help` lists the commands; it also answers anything nothing else understood. */
export const helpDialog: FallbackDialog = {
  id: 'help',
  commands: ['/help'],
  intent: 'help',
  beforeConsent: true,

  async start(turn) {
    turn.say(turn.t('help.text'));
  },

  async onUnknown(turn) {
    turn.say(turn.t('help.unknown'));
  },
};

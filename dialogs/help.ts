import type { FallbackDialog } from '../src/engine/turn';

/**
 * `/help` lists the commands of the channels' menus (dialogs/command-menu.ts) with the same
 * descriptions they show; it also answers anything nothing else understood.
 */
export const helpDialog: FallbackDialog = {
  id: 'help',
  commands: ['/help'],
  intent: 'help',
  beforeConsent: true,

  async start(turn) {
    const lines = turn.services.dialogs.menu.map((entry) =>
      turn.t('help.line', { command: entry.command, description: turn.t(entry.description) }),
    );
    turn.say([turn.t('help.intro'), ...lines, '', turn.t('help.examples')].join('\n'));
  },

  async onUnknown(turn) {
    turn.say(turn.t('help.unknown'));
  },
};

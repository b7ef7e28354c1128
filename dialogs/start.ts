import type { Dialog } from '../src/engine/turn';

/** `/start`: start over. Telegram sends it on first contact; later it re-opens the onboarding. */
export const startDialog: Dialog = {
  id: 'start',
  commands: ['/start'],
  intent: 'start',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn) {
    turn.endDialog();
    await turn.services.dialogs.onboarding.showNotice(turn);
  },
};

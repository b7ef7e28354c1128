import type { Next } from '../../core/pipeline';
import type { Route, Turn } from '../turn';

/**
 * Nothing reaches a dialog that could store data before the person decided (GDPR Art. 6, 7;
 * Telegram and Discord terms). Undecided people get the onboarding in a private chat, or a
 * pointer to one in a group, where nothing of theirs is stored.
 */
export async function consentGate(turn: Turn, next: Next): Promise<void> {
  if (turn.hasDecided || allowedBeforeConsent(turn.route)) return next();
  if (!turn.message.isPrivateChat) {
    turn.say(turn.t('consent.groupPointer'), { privateToSpeaker: true, publicFallback: true });
    return;
  }
  await turn.services.dialogs.onboarding.showNotice(turn);
}

function allowedBeforeConsent(route: Route): boolean {
  switch (route.kind) {
    case 'command':
    case 'intent':
    case 'action':
    case 'continue':
      return route.dialog.beforeConsent === true;
    case 'unknown-action':
    case 'unknown-command':
      return true;
    case 'conversation-started':
    case 'fallback':
      return false;
  }
}

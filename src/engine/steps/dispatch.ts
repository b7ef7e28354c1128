import type { Next } from '../../core/pipeline';
import type { Turn } from '../turn';

/** Run the dialog the route names. The last step: it never calls next. */
export async function dispatch(turn: Turn, _next: Next): Promise<void> {
  const route = turn.route;
  const { fallback, onboarding } = turn.services.dialogs;
  switch (route.kind) {
    case 'command':
    case 'intent':
      return route.dialog.start(turn, route.args);
    case 'action':
      return route.dialog.onAction!(turn, route.verb, route.args);
    case 'continue':
      return route.dialog.onText!(turn, route.text);
    case 'unknown-action':
      turn.say(turn.t('input.unknownAction'));
      return;
    case 'unknown-command':
      // Never repeat what someone typed into a group: the bot would post their text (a link
      // dressed as a command, say) under its own name. Privately it only shows them their typo.
      turn.say(
        turn.message.isPrivateChat
          ? turn.t('input.unknownCommand', { command: route.command })
          : turn.t('input.unknownCommandInGroup'),
      );
      return;
    case 'conversation-started':
      return turn.hasDecided ? fallback.start(turn, '') : onboarding.showNotice(turn);
    case 'fallback':
      return fallback.onUnknown(turn, route.text);
  }
}

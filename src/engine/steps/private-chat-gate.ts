import type { Next } from '../../core/pipeline';
import type { Turn } from '../turn';

/** Personal data is never shown or changed in a group: point the person to a private chat. */
export async function privateChatGate(turn: Turn, next: Next): Promise<void> {
  const route = turn.route;
  const dialog = 'dialog' in route ? route.dialog : undefined;
  if (dialog?.privateChatOnly && !turn.message.isPrivateChat) {
    turn.say(turn.t('privacy.groupPointer'), { privateToSpeaker: true, publicFallback: true });
    return;
  }
  await next();
}

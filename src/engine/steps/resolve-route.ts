import type { Next } from '../../core/pipeline';
import type { Route, Turn } from '../turn';

/** Withdrawing consent must stay one phrase away, whatever dialog is waiting (GDPR Art. 7(3)). */
const WITHDRAWAL_INTENT = 'stop';

/** Decide which dialog this turn is for, without running it yet. */
export async function resolveRoute(turn: Turn, next: Next): Promise<void> {
  turn.route = routeOf(turn);
  await next();
}

function routeOf(turn: Turn): Route {
  const { dialogs, i18n } = turn.services;
  const { action, event } = turn.message;
  const text = turn.message.text?.trim() ?? '';

  if (action) {
    const [dialogId = '', verb = '', ...args] = action.split(':');
    const dialog = dialogs.byId(dialogId);
    return dialog?.onAction ? { kind: 'action', dialog, verb, args } : { kind: 'unknown-action' };
  }
  if (text.startsWith('/')) {
    const [command = '', ...rest] = text.split(/\s+/);
    // Telegram appends the bot's name in groups: /privacy@SomeBot.
    const name = command.toLowerCase().replace(/@.*$/, '');
    const dialog = dialogs.byCommand(name);
    return dialog
      ? { kind: 'command', dialog, args: rest.join(' ') }
      : { kind: 'unknown-command', command: name };
  }
  const active = turn.activeDialog ? dialogs.byId(turn.activeDialog.dialogId) : undefined;
  const intent = text ? i18n.matchIntent(text) : undefined;
  const waitsForFreeText = active?.freeTextSteps?.includes(turn.activeDialog?.step ?? '') === true;
  if (active?.onText && text && waitsForFreeText && intent?.intent !== WITHDRAWAL_INTENT) {
    return { kind: 'continue', dialog: active, text };
  }
  const intentDialog = intent ? dialogs.byIntent(intent.intent) : undefined;
  // A phrase of the waiting dialog itself is its answer: "DELETE" confirms /delete, not restarts it.
  if (intentDialog && intentDialog !== active) {
    return { kind: 'intent', dialog: intentDialog, args: intent?.args ?? '' };
  }
  if (active?.onText && text) return { kind: 'continue', dialog: active, text };
  if (intentDialog) return { kind: 'intent', dialog: intentDialog, args: intent?.args ?? '' };
  if (event === 'conversation-started') return { kind: 'conversation-started' };
  return { kind: 'fallback', text };
}

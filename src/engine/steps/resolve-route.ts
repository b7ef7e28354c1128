import type { Next } from '../../core/pipeline';
import { decideIntent } from '../../i18n/intent-decision';
import type { Dialog } from '../turn';
import type { Route, Turn } from '../turn';

/** Withdrawing consent must stay one phrase away, whatever dialog is waiting (GDPR Art. 7(3)). */
const WITHDRAWAL_INTENT = 'stop';

/** The dialog that asks "Did you mean ...?"; its buttons `clarify:pick:<intent>` are routed here. */
export const CLARIFY_DIALOG_ID = 'clarify';

/**
 * The step a dialog waits in for a yes or no to something it cannot undo (erasure, withdrawal).
 * There, only its own buttons, an explicit yes or no, or its own phrase ("DELETE") reach its
 * onText. A dialog that waits in this step answers the action verb `cancel` by saying, in the
 * person's language, that nothing happened.
 */
export const CONFIRMATION_STEP = 'confirm';
/** The action verb of a confirmation's "no" button; also how another request cancels it. */
export const CANCEL_VERB = 'cancel';

/** Decide which dialog this turn is for, without running it yet. */
export async function resolveRoute(turn: Turn, next: Next): Promise<void> {
  await cancelInterruptedConfirmation(turn);
  turn.route = await routeOf(turn);
  await next();
}

/**
 * Another request typed while a confirmation waits cancels it, visibly ("Nothing was erased"),
 * and is then routed as the request it is: it is never swallowed as the "no".
 */
async function cancelInterruptedConfirmation(turn: Turn): Promise<void> {
  const pending = turn.activeDialog?.step === CONFIRMATION_STEP ? turn.activeDialog : undefined;
  const text = turn.message.text?.trim() ?? '';
  if (!pending || !text || turn.message.action) return;
  const dialog = turn.services.dialogs.byId(pending.dialogId);
  if (!dialog?.onAction || answers(turn, dialog, text)) return;
  // As if its "no" button had been pressed: the text itself is never read as an answer.
  await dialog.onAction(turn, CANCEL_VERB, []);
  turn.endDialog();
}

function answers(turn: Turn, dialog: Dialog, text: string): boolean {
  const { i18n } = turn.services;
  if (text.startsWith('/')) return false;
  return i18n.answerOf(text) !== undefined || i18n.matchIntent(text)?.intent === dialog.intent;
}

async function routeOf(turn: Turn): Promise<Route> {
  const { dialogs, i18n } = turn.services;
  const { action, event } = turn.message;
  const text = turn.message.text?.trim() ?? '';

  if (action) {
    const [dialogId = '', verb = '', ...args] = action.split(':');
    // "Did you mean ...?" answered: route to the chosen intent as if it had been understood, so
    // the consent and private-chat gates judge that dialog, not the question.
    if (dialogId === CLARIFY_DIALOG_ID && verb === 'pick') {
      const chosen = dialogs.byIntent(args[0] ?? '');
      if (chosen) return { kind: 'intent', dialog: chosen, args: '' };
    }
    const dialog = dialogs.byId(dialogId);
    return dialog?.onAction ? { kind: 'action', dialog, verb, args } : { kind: 'unknown-action' };
  }
  if (text.startsWith('/')) {
    const [command = '', ...rest] = text.split(/\s+/);
    // Adapters hand over commands without the bot's name (Telegram's /privacy@ThisBot is /privacy).
    const name = command.toLowerCase();
    const dialog = dialogs.byCommand(name);
    return dialog
      ? { kind: 'command', dialog, args: rest.join(' ') }
      : { kind: 'unknown-command', command: name };
  }
  const active = turn.activeDialog ? dialogs.byId(turn.activeDialog.dialogId) : undefined;
  const intent = text ? i18n.matchIntent(text) : undefined;
  const waitsForFreeText = active?.freeTextSteps?.includes(turn.activeDialog?.step ?? '') === true;
  // A value being typed (a name) is only ever taken for withdrawal when it is a withdrawal phrase
  // exactly: the classifier would read requests into names.
  if (active?.onText && text && waitsForFreeText && intent?.intent !== WITHDRAWAL_INTENT) {
    return { kind: 'continue', dialog: active, text };
  }
  // Still waiting for a confirmation here means the text answers it (see cancelInterruptedConfirmation).
  if (active?.onText && text && turn.activeDialog?.step === CONFIRMATION_STEP) {
    return { kind: 'continue', dialog: active, text };
  }
  const intentDialog = intent ? dialogs.byIntent(intent.intent) : undefined;
  // A phrase of the waiting dialog itself is its answer: "DELETE" confirms /delete, not restarts it.
  if (intentDialog && intentDialog !== active) {
    return { kind: 'intent', dialog: intentDialog, args: intent?.args ?? '' };
  }
  if (active?.onText && text) {
    if (intentDialog) return { kind: 'continue', dialog: active, text };
    // A waiting dialog keeps what is not clearly another request ("2" picks a field).
    const understood = await classified(turn, text);
    return understood?.kind === 'intent' &&
      understood.dialog !== active &&
      understood.dialog.id !== CLARIFY_DIALOG_ID
      ? understood
      : { kind: 'continue', dialog: active, text };
  }
  if (intentDialog) return { kind: 'intent', dialog: intentDialog, args: intent?.args ?? '' };
  if (event === 'conversation-started') return { kind: 'conversation-started' };
  if (!text) return { kind: 'fallback', text };
  return (await classified(turn, text)) ?? { kind: 'fallback', text };
}

/**
 * What the classifier makes of free text nothing exact claimed: a confident intent, a "Did you
 * mean ...?" between the two best, or nothing. In groups the adapters deliver only messages
 * addressed to the bot (a mention, a reply to it), so chatter between people never gets here.
 */
async function classified(turn: Turn, text: string): Promise<Route | undefined> {
  const { dialogs, i18n, logger } = turn.services;
  let decision;
  try {
    decision = decideIntent(await i18n.classifyIntent(text, turn.locale), turn.config.intents);
  } catch {
    // The message is not logged; the fallback answers, so the person can use a command instead.
    logger.error({ code: 'INTENT_CLASSIFIER_FAILED' }, 'intent classification failed');
    return undefined;
  }
  if (decision.kind === 'route') {
    const dialog = dialogs.byIntent(decision.intent);
    return dialog && { kind: 'intent', dialog, args: '' };
  }
  const clarify = dialogs.byId(CLARIFY_DIALOG_ID);
  if (decision.kind === 'clarify' && clarify) {
    const offered = decision.intents.filter((name) => dialogs.byIntent(name) !== undefined);
    if (offered.length > 0) return { kind: 'intent', dialog: clarify, args: offered.join(' ') };
  }
  return undefined;
}

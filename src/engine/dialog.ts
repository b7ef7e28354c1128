import type { Turn } from './turn';

/**
 * One dialog or intent. Registered once in dialogs/index.ts; the engine routes commands,
 * natural phrases, button presses and follow-up text to it.
 */
export interface Dialog {
  readonly id: string;
  /** Slash commands, lower case, with the slash: ['/delete', '/forgetme']. */
  readonly commands: readonly string[];
  /** Name under `intents.` in the locale files whose phrases start this dialog. */
  readonly intent?: string;
  /** May run before the person has made a consent decision (it stores nothing). */
  readonly beforeConsent?: boolean;
  /** Shows personal data or changes it: only in a private chat, never in a group. */
  readonly privateChatOnly?: boolean;

  start(turn: Turn, args: string): Promise<void>;
  /** A button of this dialog: action id `${id}:${verb}:${arg...}`. */
  onAction?(turn: Turn, verb: string, args: readonly string[]): Promise<void>;
  /**
   * Steps that wait for free text (a name, a value): there, a message that happens to be a
   * phrase ("Help") is the answer, not a command. Only withdrawal ("stop") still wins.
   */
  readonly freeTextSteps?: readonly string[];
  /** Text typed while this dialog is the conversation's active dialog. */
  onText?(turn: Turn, text: string): Promise<void>;
}

export function actionId(dialogId: string, verb: string, ...args: string[]): string {
  return [dialogId, verb, ...args].join(':');
}

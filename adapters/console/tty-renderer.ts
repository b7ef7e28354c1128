import type { Action, OutgoingMessage } from '../../src/core/messages';

/** Buttons become numbered options; typing the number or the label presses one. */
export function renderForTerminal(
  reply: OutgoingMessage,
): { text: string; actions: readonly Action[] } | undefined {
  if (reply.kind !== 'text') return undefined;
  const actions = reply.actions ?? [];
  const options = actions.map((action, index) => `  [${index + 1}] ${action.label}`);
  const file = reply.file ? [`  (file: ${reply.file.name}, ${reply.file.bytes.length} bytes)`] : [];
  return { text: [reply.text, ...options, ...file].join('\n'), actions };
}

export function pressedAction(input: string, offered: readonly Action[]): Action | undefined {
  const trimmed = input.trim();
  if (/^\d+$/.test(trimmed)) return offered[Number(trimmed) - 1];
  const lower = trimmed.toLocaleLowerCase();
  return offered.find((action) => action.label.toLocaleLowerCase() === lower);
}

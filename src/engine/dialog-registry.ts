import type { Dialog, DialogRegistry, FallbackDialog, OnboardingDialog } from './turn';
import type { MenuEntry } from './command-menu';

export function createDialogRegistry(
  dialogs: readonly Dialog[],
  onboarding: OnboardingDialog,
  fallback: FallbackDialog,
  menu: readonly MenuEntry[] = [],
): DialogRegistry {
  const byId = new Map<string, Dialog>();
  const byCommand = new Map<string, Dialog>();
  const byIntent = new Map<string, Dialog>();
  for (const dialog of dialogs) {
    if (byId.has(dialog.id)) throw new Error(`dialog id registered twice: ${dialog.id}`);
    byId.set(dialog.id, dialog);
    for (const command of dialog.commands) {
      if (byCommand.has(command)) throw new Error(`command registered twice: ${command}`);
      byCommand.set(command, dialog);
    }
    if (dialog.intent) byIntent.set(dialog.intent, dialog);
  }
  const listed = new Set<string>();
  for (const entry of menu) {
    // A menu entry no dialog answers would be a button that leads nowhere.
    if (!byCommand.has(entry.command))
      throw new Error(`menu lists an unregistered command: ${entry.command}`);
    if (listed.has(entry.command)) throw new Error(`menu lists a command twice: ${entry.command}`);
    listed.add(entry.command);
  }
  return {
    byId: (id) => byId.get(id),
    byCommand: (command) => byCommand.get(command),
    byIntent: (intent) => byIntent.get(intent),
    onboarding,
    fallback,
    menu,
  };
}

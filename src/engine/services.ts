import type { AppConfig } from '../config/config';
import type { I18n } from '../i18n/i18n';
import type { Logger } from '../logging/logger';
import type { ConsentService } from '../privacy/consent-service';
import type { DataRights } from '../privacy/rights/data-rights';
import type { SubjectIds } from '../privacy/subject-id';
import type { Stores } from '../storage/ports';
import type { Dialog } from './dialog';
import type { Turn } from './turn';

/** What the composition root hands the engine. Dialogs reach everything through `turn.services`. */
export interface EngineServices {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly i18n: I18n;
  readonly stores: Stores;
  readonly subjectIds: SubjectIds;
  readonly consent: ConsentService;
  readonly rights: DataRights;
  readonly dialogs: DialogRegistry;
  readonly clock: () => Date;
}

export interface DialogRegistry {
  byId(id: string): Dialog | undefined;
  byCommand(command: string): Dialog | undefined;
  byIntent(intent: string): Dialog | undefined;
  /** Shown to an undecided person (the consent onboarding). */
  readonly onboarding: OnboardingDialog;
  /** Answers anything nothing else claimed. */
  readonly fallback: FallbackDialog;
  readonly all: readonly Dialog[];
}

export interface OnboardingDialog extends Dialog {
  showNotice(turn: Turn): Promise<void>;
}

export interface FallbackDialog extends Dialog {
  onUnknown(turn: Turn, text: string): Promise<void>;
}

export function createDialogRegistry(
  dialogs: readonly Dialog[],
  onboarding: OnboardingDialog,
  fallback: FallbackDialog,
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
  return {
    byId: (id) => byId.get(id),
    byCommand: (command) => byCommand.get(command),
    byIntent: (intent) => byIntent.get(intent),
    onboarding,
    fallback,
    all: dialogs,
  };
}

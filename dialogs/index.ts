import type { Dialog } from '../src/engine/turn';
import { createDialogRegistry } from '../src/engine/dialog-registry';
import type { DialogRegistry } from '../src/engine/turn';
import { COMMAND_MENU } from './command-menu';
import { clarifyIntentDialog } from './clarify-intent';
import { consentDialog } from './consent/consent-dialog';
import { helpDialog } from './help';
import { languageDialog } from './language';
import { callMeDialog } from './memory/call-me';
import { recallDialog } from './memory/recall';
import { rememberDialog } from './memory/remember';
import { privacyDialog } from './privacy/privacy-dialog';
import { correctDialog } from './rights/correct';
import { deleteDialog } from './rights/delete';
import { exportDialog } from './rights/export';
import { mydataDialog } from './rights/mydata';
import { objectDialog } from './rights/object';
import { restrictDialog, unrestrictDialog } from './rights/restrict';
import { startDialog } from './start';
import { stopDialog } from './stop';

/** Every dialog, registered once. To add one: write a file exporting a Dialog, list it here. */
export function createDialogs(extra: readonly Dialog[] = []): DialogRegistry {
  const dialogs: Dialog[] = [
    consentDialog,
    startDialog,
    stopDialog,
    clarifyIntentDialog,
    privacyDialog,
    languageDialog,
    helpDialog,
    mydataDialog,
    exportDialog,
    correctDialog,
    deleteDialog,
    restrictDialog,
    unrestrictDialog,
    objectDialog,
    rememberDialog,
    recallDialog,
    callMeDialog,
    ...extra,
  ];
  return createDialogRegistry(dialogs, consentDialog, helpDialog, COMMAND_MENU);
}

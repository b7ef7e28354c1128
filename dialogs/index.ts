import type { Dialog } from '../src/engine/dialog';
import { createDialogRegistry, type DialogRegistry } from '../src/engine/services';
import { consentDialog } from './consent/consent-dialog';
import { helpDialog } from './help';
import { languageDialog } from './language';
import { privacyDialog } from './privacy/privacy-dialog';
import { startDialog } from './start';
import { stopDialog } from './stop';

/** Every dialog, registered once. To add one: write a file exporting a Dialog, list it here. */
export function createDialogs(extra: readonly Dialog[] = []): DialogRegistry {
  const dialogs: Dialog[] = [
    consentDialog,
    startDialog,
    stopDialog,
    privacyDialog,
    languageDialog,
    helpDialog,
    ...extra,
  ];
  return createDialogRegistry(dialogs, consentDialog, helpDialog);
}

import { createDialogs } from '../dialogs';
import { buildCommandMenu, type CommandMenu } from '../src/engine/command-menu';
import { LocaleTexts } from '../src/i18n/locale-texts';
import { LOCALES_FOLDER } from '../src/i18n/locales';

/**
 * The product's command menu: its dialogs with the texts in locales/. For the tools that run
 * without the app (discord:register, teams:package) and for channels built without one; the
 * composition root passes the menu of the app it built, forker dialogs included.
 */
export function defaultCommandMenu(localesDir: string = LOCALES_FOLDER): CommandMenu {
  return buildCommandMenu(createDialogs(), LocaleTexts.read(localesDir));
}

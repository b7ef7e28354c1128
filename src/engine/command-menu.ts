import type { LocaleTexts, Localized } from '../i18n/locale-texts';
import type { Locale } from '../i18n/locales';

/**
 * One command in the channels' menus, as dialogs/command-menu.ts declares it. Texts are keys in
 * locales/, spelled out there so the locale-key test sees every one in use.
 */
export interface MenuEntry {
  /** A command a registered dialog declares, with the slash: '/privacy'. */
  readonly command: string;
  /** Consent or a data right: every channel must list it, whatever its limit (tested). */
  readonly privacy?: boolean;
  /** Locale key of the one-line description every menu shows. */
  readonly description: string;
  /** One argument picked from a list: Discord shows it as a slash-command option. */
  readonly option?: MenuOptionEntry;
}

export interface MenuOptionEntry {
  /** Discord option name (1-32 of a-z, 0-9, - and _): 'purpose'. */
  readonly name: string;
  /** Locale key of the option's description. */
  readonly description: string;
  /** The values to pick from, for the locales in use (the language option offers every one). */
  readonly choices: (locales: readonly Locale[]) => readonly MenuChoiceEntry[];
}

export interface MenuChoiceEntry {
  /** What the command receives: `/object history`. */
  readonly value: string;
  /** Locale key of the label. */
  readonly label: string;
  /** Show the label as this locale has it, in every language: a language's name for itself. */
  readonly labelIn?: Locale;
}

/** A menu command with its texts in every locale: what each channel turns into its own format. */
export interface MenuCommand {
  /** Without the slash: 'privacy'. The same in every language (help texts quote it). */
  readonly name: string;
  readonly description: Localized;
  readonly privacy: boolean;
  /** Its dialog also works in group chats (it is not private-chat-only). */
  readonly inGroups: boolean;
  readonly option?: MenuOption;
}

export interface MenuOption {
  readonly name: string;
  readonly description: Localized;
  readonly choices: readonly { readonly value: string; readonly name: Localized }[];
}

export interface CommandMenu {
  /** Base locale first (the platforms' default), then the others. */
  readonly locales: readonly Locale[];
  readonly commands: readonly MenuCommand[];
}

/** What the menu is built from: the dialog registry (structurally, so this module needs none of it). */
export interface MenuSource {
  readonly menu: readonly MenuEntry[];
  byCommand(command: string): { readonly privateChatOnly?: boolean } | undefined;
}

/** The registry's menu with its texts from a locales folder. */
export function buildCommandMenu(registry: MenuSource, texts: LocaleTexts): CommandMenu {
  const commands = registry.menu.map((entry): MenuCommand => {
    const dialog = registry.byCommand(entry.command);
    const option = entry.option;
    return {
      name: entry.command.replace(/^\//, ''),
      description: texts.localized(entry.description),
      privacy: entry.privacy ?? false,
      inGroups: !dialog?.privateChatOnly,
      ...(option
        ? {
            option: {
              name: option.name,
              description: texts.localized(option.description),
              choices: option.choices(texts.locales).map((choice) => ({
                value: choice.value,
                name: choice.labelIn
                  ? sameIn(texts.locales, texts.text(choice.labelIn, choice.label))
                  : texts.localized(choice.label),
              })),
            },
          }
        : {}),
    };
  });
  return { locales: texts.locales, commands };
}

function sameIn(locales: readonly Locale[], text: string): Localized {
  return Object.fromEntries(locales.map((locale) => [locale, text]));
}

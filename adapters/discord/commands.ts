/**
 * The slash commands the bot registers with Discord, generated from the dialog registry's menu
 * (dialogs/command-menu.ts) with the texts in locales/: the same privacy commands every channel
 * understands as text (`/privacy`, `/delete`, ...). A command reaches the engine as that text, so
 * the dialogs need no Discord knowledge. Registered by register-commands.ts.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType } from 'discord.js';
import { InteractionContextType, Locale as DiscordLocale } from 'discord.js';
import type {
  APIApplicationCommandOption,
  LocalizationMap,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandMenu, MenuCommand, MenuOption } from '../../src/engine/command-menu';
import type { Localized } from '../../src/i18n/locale-texts';
import { BASE_LOCALE, type Locale } from '../../src/i18n/locales';

// https://discord.com/developers/docs/interactions/application-commands#application-command-object
const NAME = /^[-_a-z0-9]{1,32}$/;
const DESCRIPTION_MAX = 100;
const CHOICE_NAME_MAX = 100;
const COMMANDS_MAX = 100;
const CHOICES_MAX = 25;

const DISCORD_LOCALES: readonly string[] = Object.values(DiscordLocale);

/**
 * The Discord locales a bot language covers: the same code, or its regional variants (`es` →
 * `es-ES` and `es-419`; `pt` → `pt-BR`). A language Discord does not offer gets none, and Discord
 * users see the base-locale text; the bot still answers them in it once they pick it with /language.
 */
export function discordLocalesFor(locale: Locale): DiscordLocale[] {
  return DISCORD_LOCALES.filter(
    (code) => code === locale || code.startsWith(`${locale}-`),
  ) as DiscordLocale[];
}

function localizations(texts: Localized): LocalizationMap {
  const map: LocalizationMap = {};
  for (const [locale, text] of Object.entries(texts)) {
    if (locale === BASE_LOCALE) continue;
    for (const code of discordLocalesFor(locale)) map[code] = text;
  }
  return map;
}

function described(where: string, texts: Localized) {
  for (const [locale, text] of Object.entries(texts)) {
    if (text.length > DESCRIPTION_MAX)
      throw new Error(`discord ${where}: ${locale} description is over ${DESCRIPTION_MAX} characters`);
  }
  return { description: texts[BASE_LOCALE] ?? '', description_localizations: localizations(texts) };
}

function named(where: string, name: string): string {
  if (!NAME.test(name)) throw new Error(`discord ${where}: "${name}" is not a valid name`);
  return name;
}

function stringOption(command: string, option: MenuOption): APIApplicationCommandOption {
  if (option.choices.length > CHOICES_MAX)
    throw new Error(`discord /${command}: over ${CHOICES_MAX} choices`);
  // Optional on purpose: the bare command answers with buttons, as on the other channels.
  return {
    type: ApplicationCommandOptionType.String,
    name: named(`/${command} option`, option.name),
    ...described(`/${command} ${option.name}`, option.description),
    required: false,
    choices: option.choices.map((choice) => {
      const name = choice.name[BASE_LOCALE] ?? choice.value;
      if (name.length > CHOICE_NAME_MAX) throw new Error(`discord /${command}: choice name too long`);
      return { name, name_localizations: localizations(choice.name), value: choice.value };
    }),
  };
}

/**
 * Command names stay English in every locale: the engine's help text and privacy notice quote
 * them ("send /delete"), and people switch between channels. Descriptions and choices are
 * translated, since they are what the command picker shows.
 */
function slashCommand(command: MenuCommand): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: named('command', command.name),
    ...described(`/${command.name}`, command.description),
    ...(command.option ? { options: [stringOption(command.name, command.option)] } : {}),
    // Servers that installed the bot, and DMs with it. Not group DMs: a privacy dialogue there
    // would happen in front of other people.
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

/** Every menu command (Discord takes up to 100); a text over Discord's limits fails here, not at Discord. */
export function discordCommands(menu: CommandMenu): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  if (menu.commands.length > COMMANDS_MAX) throw new Error(`discord: at most ${COMMANDS_MAX} commands`);
  return menu.commands.map(slashCommand);
}

import type { CommandMenu } from '../../src/engine/command-menu';
import type { BotCommandSpec } from './commands';

/**
 * The menu Telegram shows next to the text field, from the dialog registry's menu (all of it:
 * Telegram takes up to 100). Names stay English in every language because the engine's help text
 * quotes them and people move between channels; descriptions come from `commands.*` in locales/.
 * /privacy must stay listed: when no privacy-policy URL is set in BotFather, Telegram apps send
 * /privacy for "Privacy Policy" on the bot's profile only if the bot lists it
 * (https://core.telegram.org/constructor/botInfo, privacy_policy_url).
 */
export function telegramCommands(menu: CommandMenu): BotCommandSpec[] {
  return menu.commands.map((command) => ({ command: command.name, description: command.description }));
}

import type { Telegram } from 'telegraf';
import { ConfigError } from '../../src/core/errors';

export const COMMAND_LOCALES = ['en', 'de', 'es', 'fr'] as const;
export type CommandLocale = (typeof COMMAND_LOCALES)[number];

/** A command for Telegram's menu, described in every supported language. */
export interface BotCommandSpec {
  /** Without the slash: `privacy`. */
  readonly command: string;
  readonly description: Readonly<Record<CommandLocale, string>>;
}

// https://core.telegram.org/bots/api#botcommand
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const DESCRIPTION_MAX = 256;

/** Fail at start-up, not on the first setMyCommands call, when a command is one Telegram refuses. */
export function validateCommands(specs: readonly BotCommandSpec[]): void {
  for (const spec of specs) {
    if (!COMMAND_NAME.test(spec.command)) {
      throw new ConfigError(`telegram command "${spec.command}": use 1-32 of a-z, 0-9 and _`);
    }
    for (const locale of COMMAND_LOCALES) {
      const length = spec.description[locale].length;
      if (length === 0 || length > DESCRIPTION_MAX) {
        throw new ConfigError(
          `telegram command "${spec.command}": ${locale} description must be 1-256 characters`,
        );
      }
    }
  }
}

/**
 * One list per language, so the menu matches the person's app language, plus a list without a
 * language for everyone else (English). Telegram keeps these until replaced; nothing to undo on stop.
 */
export async function registerCommands(
  telegram: Pick<Telegram, 'setMyCommands'>,
  specs: readonly BotCommandSpec[],
): Promise<void> {
  const listIn = (locale: CommandLocale) =>
    specs.map((spec) => ({ command: spec.command, description: spec.description[locale] }));
  await telegram.setMyCommands(listIn('en'));
  for (const locale of COMMAND_LOCALES) {
    await telegram.setMyCommands(listIn(locale), { language_code: locale });
  }
}

import type { Telegram } from 'telegraf';
import { ConfigError } from '../../src/core/errors';
import type { Localized } from '../../src/i18n/locale-texts';
import { BASE_LOCALE } from '../../src/i18n/locales';

/** A command for Telegram's menu, described in every language of locales/ (base locale first). */
export interface BotCommandSpec {
  /** Without the slash: `privacy`. */
  readonly command: string;
  readonly description: Localized;
}

// https://core.telegram.org/bots/api#botcommand
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const DESCRIPTION_MAX = 256;
const LIST_MAX = 100;

/** The languages the menu is described in: those of its first command (validateCommands checks the rest). */
function localesOf(specs: readonly BotCommandSpec[]): string[] {
  return Object.keys(specs[0]?.description ?? { [BASE_LOCALE]: '' });
}

/** Fail at start-up, not on the first setMyCommands call, when a command is one Telegram refuses. */
export function validateCommands(specs: readonly BotCommandSpec[]): void {
  if (specs.length > LIST_MAX) throw new ConfigError(`telegram menu: at most ${LIST_MAX} commands`);
  const locales = localesOf(specs);
  if (!locales.includes(BASE_LOCALE)) throw new ConfigError(`telegram menu: no ${BASE_LOCALE} descriptions`);
  for (const spec of specs) {
    if (!COMMAND_NAME.test(spec.command)) {
      throw new ConfigError(`telegram command "${spec.command}": use 1-32 of a-z, 0-9 and _`);
    }
    for (const locale of locales) {
      const length = spec.description[locale]?.length ?? 0;
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
 * language for everyone else (the base locale). Telegram keeps these until replaced; nothing to
 * undo on stop.
 */
export async function registerCommands(
  telegram: Pick<Telegram, 'setMyCommands'>,
  specs: readonly BotCommandSpec[],
): Promise<void> {
  const listIn = (locale: string) =>
    specs.map((spec) => ({ command: spec.command, description: spec.description[locale] ?? '' }));
  await telegram.setMyCommands(listIn(BASE_LOCALE));
  for (const locale of localesOf(specs)) {
    await telegram.setMyCommands(listIn(locale), { language_code: locale });
  }
}

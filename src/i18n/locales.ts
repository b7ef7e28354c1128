import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * locales/ at the repository root: one folder per language, named by its ISO 639-1 code, holding
 * translation.json. The folders ARE the list of supported languages: config validation, the
 * language dialog, every channel's command menu and the Teams manifest read it from here, so
 * adding a language is adding a folder.
 */
export const LOCALES_FOLDER = path.resolve(__dirname, '../../locales');

/**
 * The language of what platforms show when they have nothing in the person's language (Telegram's
 * menu without language_code, Discord's default description, Teams' defaultLanguageTag). Its
 * folder must exist; it comes first in LOCALES.
 */
export const BASE_LOCALE = 'en';

/** A language code that has a folder in locales/ (see isLocale). */
export type Locale = string;

// Two or three lower-case letters: what localeFromHint reduces "de-AT" or "pt_BR" to.
const LOCALE_FOLDER_NAME = /^[a-z]{2,3}$/;

/** The locales in a locales folder: the base locale first, then the others in alphabetical order. */
export function localesIn(dir: string): readonly Locale[] {
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && LOCALE_FOLDER_NAME.test(entry.name))
    .filter((entry) => existsSync(path.join(dir, entry.name, 'translation.json')))
    .map((entry) => entry.name)
    .sort();
  if (!found.includes(BASE_LOCALE)) throw new Error(`${dir} has no ${BASE_LOCALE}/translation.json`);
  return [BASE_LOCALE, ...found.filter((locale) => locale !== BASE_LOCALE)];
}

export const LOCALES: readonly Locale[] = localesIn(LOCALES_FOLDER);

export function isLocale(value: string | undefined): value is Locale {
  return LOCALES.includes(value ?? '');
}

/** "de-AT", "de_CH", "DE" → "de"; anything we do not speak → undefined. */
export function localeFromHint(hint: string | undefined): Locale | undefined {
  const language = hint?.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : undefined;
}

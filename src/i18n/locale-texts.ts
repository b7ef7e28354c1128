import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCALES, LOCALES_FOLDER, localesIn, type Locale } from './locales';

/** One text in every locale, in the order of `LocaleTexts.locales` (base locale first). */
export type Localized = Readonly<Record<Locale, string>>;

/**
 * The plain strings of a locales folder, read without i18next: what the command menus and the
 * Teams manifest are built from at start-up or packaging time. Taking the folder as a parameter
 * lets a test build every menu from a copy with one more language, without touching locales/.
 */
export class LocaleTexts {
  private constructor(
    readonly locales: readonly Locale[],
    private readonly resources: ReadonlyMap<Locale, unknown>,
  ) {}

  static read(dir: string = LOCALES_FOLDER): LocaleTexts {
    const locales = dir === LOCALES_FOLDER ? LOCALES : localesIn(dir);
    const resources = new Map(
      locales.map((locale) => [
        locale,
        JSON.parse(readFileSync(path.join(dir, locale, 'translation.json'), 'utf8')) as unknown,
      ]),
    );
    return new LocaleTexts(locales, resources);
  }

  /** `commands.privacy.description` in one locale; a missing or empty text is a locale-file bug. */
  text(locale: Locale, key: string): string {
    let value = this.resources.get(locale);
    for (const part of key.split('.')) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (typeof value !== 'string' || value === '') throw new Error(`locales/${locale}: no text at ${key}`);
    return value;
  }

  /** The same key in every locale. */
  localized(key: string): Localized {
    return Object.fromEntries(this.locales.map((locale) => [locale, this.text(locale, key)]));
  }
}

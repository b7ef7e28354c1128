import type { Locale } from '../../src/i18n/locales';

export const LANGUAGE_NAME_KEYS: Readonly<Record<Locale, string>> = {
  en: 'language.names.en',
  de: 'language.names.de',
  es: 'language.names.es',
  fr: 'language.names.fr',
};

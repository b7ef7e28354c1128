export const LOCALES = ['en', 'de', 'es', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: string | undefined): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? '');
}

/** "de-AT", "de_CH", "DE" → "de"; anything we do not speak → undefined. */
export function localeFromHint(hint: string | undefined): Locale | undefined {
  const language = hint?.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : undefined;
}

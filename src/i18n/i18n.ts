import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18nInstance, type TFunction } from 'i18next';
import { LOCALES, type Locale } from './locales';

export type Translate = TFunction;

/**
 * i18next over the JSON files in locales/. Natural-language command phrases live there too
 * (`intents.*`), so adding a language never means touching code.
 */
export class I18n {
  private readonly phrasesToIntent = new Map<string, string>();
  private readonly prefixPhrases: PrefixPhrase[] = [];

  private constructor(private readonly instance: I18nInstance) {
    for (const locale of LOCALES) {
      const intents = instance.getResource(locale, 'translation', 'intents') as Record<string, string[]>;
      for (const [intent, phrases] of Object.entries(intents ?? {})) {
        for (const phrase of phrases) {
          if (phrase.includes(ARGS_PLACEHOLDER)) this.prefixPhrases.push(prefixPhrase(phrase, intent));
          else this.phrasesToIntent.set(normalisePhrase(phrase), intent);
        }
      }
    }
    // "remember that" must win over "remember" when both are phrases.
    this.prefixPhrases.sort((a, b) => b.words - a.words);
  }

  static load(localesDir: string, fallback: Locale): I18n {
    const resources = Object.fromEntries(
      LOCALES.map((locale) => [
        locale,
        { translation: readJson(path.join(localesDir, locale, 'translation.json')) },
      ]),
    );
    const instance = i18next.createInstance();
    // Resources are in memory, so init completes synchronously.
    void instance.init({
      resources,
      lng: fallback,
      fallbackLng: fallback,
      supportedLngs: [...LOCALES],
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    return new I18n(instance);
  }

  translator(locale: Locale): Translate {
    return this.instance.getFixedT(locale);
  }

  /**
   * The intent a whole message asks for ("opt out", "lösche meine Daten"), in any of our
   * languages: a German speaker on an English-language phone can still withdraw in German.
   */
  intentOf(text: string): string | undefined {
    return this.matchIntent(text)?.intent;
  }

  /**
   * Like intentOf, but also phrases that take the rest of the message ("call me {{args}}"):
   * the rest comes back as typed, case and punctuation kept.
   */
  matchIntent(text: string): { intent: string; args: string } | undefined {
    const whole = this.phrasesToIntent.get(normalisePhrase(text));
    if (whole) return { intent: whole, args: '' };
    for (const phrase of this.prefixPhrases) {
      const args = phrase.pattern.exec(text.normalize('NFC'))?.[1]?.trim();
      if (args) return { intent: phrase.intent, args };
    }
    return undefined;
  }
}

/** Marks a phrase that starts a message and takes the rest of it as the dialog's arguments. */
export const ARGS_PLACEHOLDER = '{{args}}';

interface PrefixPhrase {
  readonly intent: string;
  readonly words: number;
  readonly pattern: RegExp;
}

function prefixPhrase(phrase: string, intent: string): PrefixPhrase {
  const words = normalisePhrase(phrase.replace(ARGS_PLACEHOLDER, '')).split(' ');
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Words separated by any spaces or punctuation, then at least one separator before the rest.
  const separator = '[\\s\\p{P}\\p{S}]+';
  return {
    intent,
    words: words.length,
    pattern: new RegExp(`^\\s*${escaped.join(separator)}${separator}([\\s\\S]+)$`, 'iu'),
  };
}

export function normalisePhrase(text: string): string {
  return text
    .normalize('NFC')
    .toLocaleLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export const LOCALES_DIR = path.resolve(__dirname, '../../locales');

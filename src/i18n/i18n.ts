import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18nInstance, type TFunction } from 'i18next';
import { type IntentCorpus, readIntentCorpus } from './intent-corpus';
import { type IntentClassification, loadIntentClassifier } from './intent-classifier';
import { LOCALES, type Locale } from './locales';
import { normalisePhrase } from './phrases';

export { normalisePhrase } from './phrases';

/** An explicit answer to a yes/no question (locales/<lang>/intents.json, `answers`). */
export type Answer = 'yes' | 'no';

export type Translate = TFunction;

/**
 * i18next over the JSON files in locales/. Natural-language command phrases live there too
 * (`intents.*` in translation.json: exact phrases, and prefix phrases that take arguments), and so
 * does the intent classifier's training data (`intents.json`), so adding a language never means
 * touching code.
 */
export class I18n {
  private readonly translators = new Map<Locale, Translate>();
  private readonly phrasesToIntent = new Map<string, string>();
  private readonly prefixPhrases: PrefixPhrase[] = [];
  private readonly answers = new Map<string, Answer>();

  private constructor(
    private readonly instance: I18nInstance,
    private readonly corpus: IntentCorpus,
  ) {
    for (const { answers } of corpus.locales) {
      for (const answer of ['yes', 'no'] as const) {
        for (const word of answers[answer]) this.answers.set(normalisePhrase(word), answer);
      }
    }
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
    return new I18n(instance, readIntentCorpus(localesDir, LOCALES));
  }

  /**
   * Resolves once the intent classifier is loaded from its cache (or trained). Without this call
   * it loads at the first message that needs it; a bot calls it at start-up so nobody waits.
   */
  async intentsReady(): Promise<void> {
    await loadIntentClassifier(this.corpus);
  }

  /**
   * What the classifier makes of a message no command or exact phrase claimed, read in the
   * language it is written in (the person's locale on a tie). Deterministic: the same corpus
   * gives the same answer for the same text.
   */
  async classifyIntent(text: string, locale: Locale): Promise<IntentClassification> {
    const classifier = await loadIntentClassifier(this.corpus);
    return classifier.classify(text, locale);
  }

  /** "yes", "ja", "oui", "no", "nein", ... as a whole message, in any of our languages. */
  answerOf(text: string): Answer | undefined {
    return this.answers.get(normalisePhrase(text));
  }

  /** One translator per locale, made once: every turn asks for one. */
  translator(locale: Locale): Translate {
    let translate = this.translators.get(locale);
    if (!translate) this.translators.set(locale, (translate = this.instance.getFixedT(locale)));
    return translate;
  }

  /**
   * The intent a whole message asks for ("opt out", "lösche meine Daten"), in any of our
   * languages (a German speaker on an English-language phone can still withdraw in German), and
   * for phrases that take the rest of the message ("call me {{args}}") that rest, as typed, case
   * and punctuation kept.
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

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export const LOCALES_DIR = path.resolve(__dirname, '../../locales');

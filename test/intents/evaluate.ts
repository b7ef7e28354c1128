import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type IntentClassifier } from '../../src/i18n/intent-classifier';
import { type IntentCorpus, NONE_INTENT } from '../../src/i18n/intent-corpus';
import { type IntentThresholds, decideIntent } from '../../src/i18n/intent-decision';
export { DESTRUCTIVE_INTENTS } from '../../src/i18n/intent-decision';
import type { Locale } from '../../src/i18n/locales';
import { normalisePhrase } from '../../src/i18n/phrases';

/** Phrasings the classifier never trains on: test/intents/held-out/<lang>.json, intent → sentences. */
export const HELD_OUT_DIR = path.join(__dirname, 'held-out');

export type HeldOut = Readonly<Record<string, readonly string[]>>;

export function readHeldOut(locale: Locale): HeldOut {
  return JSON.parse(readFileSync(path.join(HELD_OUT_DIR, `${locale}.json`), 'utf8')) as HeldOut;
}

export interface SentenceResult {
  readonly expected: string;
  /** The intent the message reaches: routed to, or offered first in a clarification; or none. */
  readonly predicted: string;
  readonly how: 'route' | 'clarify' | 'none';
}

export interface LocaleEvaluation {
  readonly locale: Locale;
  readonly results: readonly SentenceResult[];
}

/** Classify every held-out sentence of a locale as the engine would, the person's locale being its own. */
export async function evaluateLocale(
  classifier: IntentClassifier,
  locale: Locale,
  thresholds: IntentThresholds,
  personLocale: Locale = locale,
): Promise<LocaleEvaluation> {
  const results: SentenceResult[] = [];
  for (const [expected, sentences] of Object.entries(readHeldOut(locale))) {
    for (const sentence of sentences) {
      const decision = decideIntent(await classifier.classify(sentence, personLocale), thresholds);
      const predicted =
        decision.kind === 'route'
          ? decision.intent
          : decision.kind === 'clarify'
            ? decision.intents[0]!
            : NONE_INTENT;
      results.push({ expected, predicted, how: decision.kind });
    }
  }
  return { locale, results };
}

export function accuracy(results: readonly SentenceResult[]): number {
  return results.length === 0 ? 1 : results.filter((r) => r.predicted === r.expected).length / results.length;
}

/** Rights requests only: how many reached the intent they asked for. */
export function requestAccuracy(results: readonly SentenceResult[]): number {
  return accuracy(results.filter((r) => r.expected !== NONE_INTENT));
}

/** Bystander sentences that reached any intent (a false trigger). */
export function falseTriggers(results: readonly SentenceResult[]): readonly SentenceResult[] {
  return results.filter((r) => r.expected === NONE_INTENT && r.predicted !== NONE_INTENT);
}

/** Held-out sentences that are also training examples in any language (normalised): must be none. */
export function overlapWithTraining(corpus: IntentCorpus, locale: Locale): string[] {
  const training = new Set(
    corpus.locales.flatMap((entry) => Object.values(entry.utterances).flat()).map(normalisePhrase),
  );
  return Object.values(readHeldOut(locale))
    .flat()
    .filter((sentence) => training.has(normalisePhrase(sentence)));
}

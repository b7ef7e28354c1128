import { createDialogs } from '../../dialogs';
import { LOCALES_DIR } from '../../src/i18n/i18n';
import { IntentClassifier, loadIntentClassifier } from '../../src/i18n/intent-classifier';
import { NONE_INTENT, readIntentCorpus } from '../../src/i18n/intent-corpus';
import { DEFAULT_INTENT_THRESHOLDS, DESTRUCTIVE_INTENTS } from '../../src/i18n/intent-decision';
import { LOCALES } from '../../src/i18n/locales';
import { normalisePhrase } from '../../src/i18n/phrases';
import { evaluateLocale, falseTriggers, overlapWithTraining, readHeldOut, requestAccuracy } from './evaluate';

/**
 * Issue 15: the intent classifier on phrasings it never trained on (test/intents/held-out/), and
 * the rules its training data keeps. NLP.js has no randomness, so the floor is not flaky.
 */
const corpus = readIntentCorpus(LOCALES_DIR, LOCALES);
const CLASSIFIED = LOCALES.filter((locale) => corpus.locales.some((entry) => entry.locale === locale));
const intentsOf = (locale: string) =>
  Object.keys(corpus.locales.find((entry) => entry.locale === locale)!.utterances).sort();

describe('intent training data (locales/<lang>/intents.json)', () => {
  it('exists for every language that has a classifier, with the same intents everywhere', () => {
    expect(CLASSIFIED).toEqual(['en', 'de', 'es', 'fr']);
    for (const locale of CLASSIFIED) expect(intentsOf(locale)).toEqual(intentsOf('en'));
  });

  it('has at least 20 varied utterances for every intent in every language', () => {
    for (const { locale, utterances } of corpus.locales) {
      for (const [intent, examples] of Object.entries(utterances)) {
        const distinct = new Set(examples.map(normalisePhrase));
        expect({ locale, intent, count: distinct.size >= 20 }).toEqual({ locale, intent, count: true });
      }
    }
  });

  it('names only intents a dialog handles', () => {
    const dialogs = createDialogs();
    const unhandled = intentsOf('en').filter((intent) => intent !== NONE_INTENT && !dialogs.byIntent(intent));
    expect(unhandled).toEqual([]);
  });

  it('gives every erasure and withdrawal example a destructive marker, or the classifier would drop it', () => {
    const unmarked = corpus.locales.flatMap(({ locale, utterances, destructiveMarkers }) => {
      const markers = new Set(destructiveMarkers.map(normalisePhrase));
      return DESTRUCTIVE_INTENTS.flatMap((intent) =>
        (utterances[intent] ?? [])
          .filter(
            (example) =>
              !normalisePhrase(example)
                .split(' ')
                .some((word) => markers.has(word)),
          )
          // Exact phrases of translation.json never reach the classifier ("stop", "abmelden").
          .filter((example) => normalisePhrase(example).split(' ').length > 1)
          .map((example) => `${locale} ${intent}: ${example}`),
      );
    });
    expect(unmarked).toEqual([]);
  });

  it('never makes one word a yes in one language and a no in another', () => {
    const yes = new Set(corpus.locales.flatMap(({ answers }) => answers.yes.map(normalisePhrase)));
    const clashes = corpus.locales
      .flatMap(({ answers }) => answers.no.map(normalisePhrase))
      .filter((w) => yes.has(w));
    expect(clashes).toEqual([]);
  });
});

describe('held-out evaluation (test/intents/held-out/)', () => {
  let classifier: IntentClassifier;
  beforeAll(async () => {
    classifier = await loadIntentClassifier(corpus);
  });

  it('never trains on a held-out sentence', () => {
    expect(CLASSIFIED.flatMap((locale) => overlapWithTraining(corpus, locale))).toEqual([]);
  });

  it('has at least 15 phrasings per intent per language, and bystander sentences', () => {
    for (const locale of CLASSIFIED) {
      const heldOut = readHeldOut(locale);
      expect(Object.keys(heldOut).sort()).toEqual(intentsOf(locale));
      for (const [intent, sentences] of Object.entries(heldOut)) {
        expect({ locale, intent, enough: sentences.length >= 15 }).toEqual({ locale, intent, enough: true });
      }
    }
  });

  it.each(CLASSIFIED)(
    '%s: at least 95% of requests reach their intent; no bystander reaches erasure or withdrawal',
    async (locale) => {
      const { results } = await evaluateLocale(classifier, locale, DEFAULT_INTENT_THRESHOLDS);
      expect(requestAccuracy(results)).toBeGreaterThanOrEqual(0.95);
      const destructive = falseTriggers(results).filter((result) =>
        DESTRUCTIVE_INTENTS.includes(result.predicted),
      );
      expect(destructive).toEqual([]);
    },
  );

  it('classifies the same text the same way every time, and a cached model like a trained one', async () => {
    const trained = await IntentClassifier.train(corpus);
    const reloaded = await IntentClassifier.fromModel(corpus, trained.exportModel());
    for (const locale of CLASSIFIED) {
      for (const sentence of Object.values(readHeldOut(locale)).flat()) {
        const first = await classifier.classify(sentence, locale);
        expect(await trained.classify(sentence, locale)).toEqual(first);
        expect(await reloaded.classify(sentence, locale)).toEqual(first);
      }
    }
  });

  it('keeps no typed text in memory after classifying it', async () => {
    await classifier.classify('please erase everything about me, my name is Zed', 'en');
    expect(classifier.retainedTexts).toBe(0);
  });
});

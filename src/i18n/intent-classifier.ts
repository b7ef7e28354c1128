import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Nlp } from '@nlpjs/nlp';
import { type IntentCorpus, NONE_INTENT } from './intent-corpus';
import { normalisePhrase } from './phrases';
import type { Locale } from './locales';

/**
 * NLP.js language plugins (tokenizer, stemmer, stop words) by locale. A language without one here
 * keeps its exact phrases but gets no classifier: add its `@nlpjs/lang-xx` package and a line.
 */
const LANGUAGE_PLUGINS: Readonly<Record<string, () => Promise<unknown>>> = {
  en: async () => (await import('@nlpjs/lang-en')).LangEn,
  de: async () => (await import('@nlpjs/lang-de')).LangDe,
  es: async () => (await import('@nlpjs/lang-es')).LangEs,
  fr: async () => (await import('@nlpjs/lang-fr')).LangFr,
};

/**
 * Bumped when training settings change, so a model cached by an older version is not loaded.
 * The NLP.js neural network starts from zero weights and has no randomness: the same corpus in the
 * same order gives the same model, and so the same answers, on every machine.
 */
const MODEL_VERSION = 'nlpjs-4.27-neural-1';

/** Where trained models are cached, next to other tools' caches; the name carries the corpus hash. */
export const DEFAULT_MODEL_CACHE_DIR = path.resolve(__dirname, '../../node_modules/.cache/intent-models');

export interface IntentScore {
  readonly intent: string;
  readonly score: number;
}

/** The classifier's view of one message: the locale it was read in, intents best first. */
export interface IntentClassification {
  readonly locale: Locale;
  readonly ranked: readonly IntentScore[];
  /** It contains one of that locale's destructive markers (see LocaleIntents.destructiveMarkers). */
  readonly destructiveMarker: boolean;
}

/**
 * An offline intent classifier: one NLP.js neural model per language, trained on the corpus from
 * locales/. The text never leaves the process and is never logged or kept.
 */
export class IntentClassifier {
  private readonly vocabularies: ReadonlyMap<Locale, ReadonlySet<string>>;
  private readonly markers: ReadonlyMap<Locale, ReadonlySet<string>>;

  private constructor(
    private readonly nlp: Nlp,
    corpus: IntentCorpus,
  ) {
    this.vocabularies = vocabulariesOf(corpus);
    this.markers = new Map(
      classifiable(corpus).map(({ locale, destructiveMarkers }) => [
        locale,
        new Set(destructiveMarkers.map(normalisePhrase)),
      ]),
    );
  }

  /** Train from scratch (what the benchmark measures). */
  static async train(corpus: IntentCorpus): Promise<IntentClassifier> {
    const nlp = await newNlp(corpus);
    for (const { locale, utterances } of classifiable(corpus)) {
      for (const [intent, examples] of Object.entries(utterances)) {
        for (const example of examples) nlp.addDocument(locale, example, intent);
      }
    }
    await nlp.train();
    return new IntentClassifier(nlp, corpus);
  }

  /** The model cached for exactly this corpus, if any: loading is far cheaper than training. */
  static async fromModel(corpus: IntentCorpus, model: string): Promise<IntentClassifier> {
    const nlp = await newNlp(corpus);
    nlp.import(model);
    return new IntentClassifier(nlp, corpus);
  }

  exportModel(): string {
    return this.nlp.export(true);
  }

  get locales(): readonly Locale[] {
    return [...this.vocabularies.keys()];
  }

  /**
   * Classify in the language the message is written in: the locale whose training words cover
   * most of it, the person's own locale on a tie. Scoring in every language and taking the best
   * would let an English sentence land on whatever German intent shares a stray word.
   */
  async classify(text: string, preferred: Locale): Promise<IntentClassification> {
    const locale = this.languageOf(text, preferred);
    if (!locale) return { locale: preferred, ranked: NOTHING, destructiveMarker: false };
    const { classifications } = await this.nlp.nluManager.process(locale, text);
    this.forgetTexts();
    const ranked = classifications.map(({ intent, score }) => ({
      intent: intent === 'None' ? NONE_INTENT : intent,
      score,
    }));
    const markers = this.markers.get(locale);
    const destructiveMarker = normalisePhrase(text)
      .split(' ')
      .some((word) => markers?.has(word) === true);
    // NLP.js gives zero (or equal) scores to words it has never seen: that is no intent at all.
    const [first, second] = ranked;
    if (!first || first.score === 0 || (second && second.score === first.score)) {
      return { locale, ranked: NOTHING, destructiveMarker };
    }
    return { locale, ranked, destructiveMarker };
  }

  /**
   * NLP.js keeps every text it prepared, keyed by the text itself, for up to an hour (a speed-up
   * for repeated training sentences). A typed message must not outlive its turn in memory, nor
   * make memory grow with traffic, so those entries are dropped after every classification.
   */
  private forgetTexts(): void {
    for (const manager of Object.values(this.nlp.nluManager.domainManagers)) {
      for (const domain of Object.values(manager.domains)) {
        if (domain.cache) domain.cache.results = {};
      }
    }
  }

  /** How many prepared texts NLP.js holds right now (a test keeps this at zero between turns). */
  get retainedTexts(): number {
    let count = 0;
    for (const manager of Object.values(this.nlp.nluManager.domainManagers)) {
      for (const domain of Object.values(manager.domains)) {
        for (const texts of Object.values(domain.cache?.results ?? {})) count += Object.keys(texts).length;
      }
    }
    return count;
  }

  languageOf(text: string, preferred: Locale): Locale | undefined {
    const words = normalisePhrase(text).split(' ');
    let best: Locale | undefined;
    let bestCount = 0;
    for (const [locale, vocabulary] of this.vocabularies) {
      const count = words.filter((word) => vocabulary.has(word)).length;
      if (count > bestCount || (count === bestCount && count > 0 && locale === preferred)) {
        best = locale;
        bestCount = count;
      }
    }
    if (best === undefined && this.vocabularies.has(preferred)) return preferred;
    return best;
  }
}

const NOTHING: readonly IntentScore[] = [{ intent: NONE_INTENT, score: 1 }];

const loaded = new Map<string, Promise<IntentClassifier>>();

/**
 * One classifier per corpus per process (the test suite builds hundreds of apps in one process),
 * loaded from the model cache when it holds this corpus, trained and cached otherwise. A cache
 * that cannot be read or written only costs the training time.
 */
export function loadIntentClassifier(
  corpus: IntentCorpus,
  cacheDir: string = DEFAULT_MODEL_CACHE_DIR,
): Promise<IntentClassifier> {
  const key = `${cacheDir}\0${corpus.hash}`;
  let classifier = loaded.get(key);
  if (!classifier) {
    classifier = loadOrTrain(corpus, cacheDir);
    loaded.set(key, classifier);
  }
  return classifier;
}

async function loadOrTrain(corpus: IntentCorpus, cacheDir: string): Promise<IntentClassifier> {
  const file = path.join(cacheDir, `${MODEL_VERSION}-${corpus.hash}.json`);
  const cached = readIfPresent(file);
  if (cached !== undefined) {
    try {
      return await IntentClassifier.fromModel(corpus, cached);
    } catch {
      // A damaged cache file: train again and overwrite it.
    }
  }
  const classifier = await IntentClassifier.train(corpus);
  writeAtomically(file, classifier.exportModel());
  return classifier;
}

/**
 * NLP.js is loaded on first use, not at start-up: loading it costs about as much as loading a
 * cached model, and a process that never classifies (the test suite's many apps, the operator
 * CLI) should not pay for it.
 */
async function newNlp(corpus: IntentCorpus): Promise<Nlp> {
  const [{ containerBootstrap }, { Nlp: NlpClass }] = await Promise.all([
    import('@nlpjs/core'),
    import('@nlpjs/nlp'),
  ]);
  const container = containerBootstrap();
  const locales = classifiable(corpus).map(({ locale }) => locale);
  for (const locale of locales) container.use(await LANGUAGE_PLUGINS[locale]!());
  // autoSave off: NLP.js would otherwise write model.nlp into the working directory.
  const nlp = new NlpClass({ container, autoSave: false, autoLoad: false, nlu: { log: false } });
  for (const locale of locales) nlp.addLanguage(locale);
  return nlp;
}

function classifiable(corpus: IntentCorpus): IntentCorpus['locales'] {
  return corpus.locales.filter(({ locale }) => LANGUAGE_PLUGINS[locale] !== undefined);
}

function vocabulariesOf(corpus: IntentCorpus): Map<Locale, Set<string>> {
  return new Map(
    classifiable(corpus).map(({ locale, utterances, answers }) => {
      const texts = [...Object.values(utterances).flat(), ...answers.yes, ...answers.no];
      return [locale, new Set(texts.flatMap((text) => normalisePhrase(text).split(' ')))];
    }),
  );
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, text: string): void {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    // Several test processes may train at once: each renames a whole file, none sees half of one.
    renameSync(temporary, file);
    // Models of earlier corpora are never loaded again.
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.json') && name !== path.basename(file))
        rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // A read-only install: the next start trains again.
  }
}

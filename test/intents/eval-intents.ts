/**
 * `npm run eval:intents`: the intent classifier on the held-out phrasings in test/intents/held-out/,
 * which it never trains on. Prints accuracy per language and intent, each language's confusion
 * matrix, the false-trigger rate on bystander ("none") sentences, and what classification costs.
 * Sentences are never printed: the figures are enough to compare two corpora.
 */
import { measureIntentCost } from '../../bench/support/intent-cost';
import { LOCALES_DIR } from '../../src/i18n/i18n';
import { loadIntentClassifier } from '../../src/i18n/intent-classifier';
import { NONE_INTENT, readIntentCorpus } from '../../src/i18n/intent-corpus';
import { DEFAULT_INTENT_THRESHOLDS } from '../../src/i18n/intent-decision';
import { LOCALES } from '../../src/i18n/locales';
import {
  DESTRUCTIVE_INTENTS,
  type LocaleEvaluation,
  accuracy,
  evaluateLocale,
  falseTriggers,
  overlapWithTraining,
  requestAccuracy,
} from './evaluate';

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`).join('\n');
}

function withRule(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows;
  const rule = head!.map((_, column) => '-'.repeat(Math.max(3, ...rows.map((row) => row[column]!.length))));
  return table([head!, rule, ...body]);
}

function intentsOf(evaluations: readonly LocaleEvaluation[]): string[] {
  const intents = [...new Set(evaluations.flatMap((e) => e.results.map((r) => r.expected)))];
  return [...intents.filter((intent) => intent !== NONE_INTENT), NONE_INTENT];
}

async function main(): Promise<void> {
  const thresholds = DEFAULT_INTENT_THRESHOLDS;
  const corpus = readIntentCorpus(LOCALES_DIR, LOCALES);
  const classifier = await loadIntentClassifier(corpus);
  const locales = classifier.locales;
  const evaluations = await Promise.all(
    locales.map((locale) => evaluateLocale(classifier, locale, thresholds)),
  );
  const intents = intentsOf(evaluations);

  console.log(`Held-out evaluation (route at >= ${thresholds.route}, clarify at >= ${thresholds.clarify})\n`);
  const overall = evaluations.flatMap((e) => e.results);
  console.log(
    withRule([
      [
        'language',
        'requests',
        'accuracy',
        'routed',
        'clarified',
        'none sentences',
        'false triggers',
        'to delete/stop',
      ],
      ...[...evaluations, { locale: 'all', results: overall }].map(({ locale, results }) => {
        const requests = results.filter((r) => r.expected !== NONE_INTENT);
        const bystanders = results.filter((r) => r.expected === NONE_INTENT);
        const triggers = falseTriggers(results);
        return [
          locale,
          String(requests.length),
          percent(requestAccuracy(results)),
          percent(
            requests.filter((r) => r.how === 'route' && r.predicted === r.expected).length / requests.length,
          ),
          percent(
            requests.filter((r) => r.how === 'clarify' && r.predicted === r.expected).length /
              requests.length,
          ),
          String(bystanders.length),
          percent(triggers.length / Math.max(1, bystanders.length)),
          String(triggers.filter((r) => DESTRUCTIVE_INTENTS.includes(r.predicted)).length),
        ];
      }),
    ]),
  );

  console.log('\nAccuracy per intent\n');
  console.log(
    withRule([
      ['intent', ...locales],
      ...intents.map((intent) => [
        intent,
        ...evaluations.map(({ results }) => percent(accuracy(results.filter((r) => r.expected === intent)))),
      ]),
    ]),
  );

  for (const { locale, results } of evaluations) {
    console.log(`\nConfusion matrix, ${locale} (rows: asked for, columns: reached)\n`);
    console.log(
      withRule([
        ['', ...intents],
        ...intents.map((expected) => [
          expected,
          ...intents.map((predicted) =>
            String(results.filter((r) => r.expected === expected && r.predicted === predicted).length),
          ),
        ]),
      ]),
    );
  }

  const crossLanguage = await Promise.all(
    locales
      .filter((locale) => locale !== locales[0])
      .map((locale) => evaluateLocale(classifier, locale, thresholds, locales[0])),
  );
  console.log(
    `\nWritten in another language than the person's (${locales[0]}): ` +
      crossLanguage.map(({ locale, results }) => `${locale} ${percent(requestAccuracy(results))}`).join(', '),
  );

  console.log('\nThresholds (all languages): what each pair would give\n');
  const sweep: string[][] = [
    ['route', 'clarify', 'accuracy', 'routed', 'routed wrongly', 'false triggers', 'to delete/stop'],
  ];
  for (const route of [0.7, 0.8, 0.9]) {
    for (const clarify of [0.3, 0.4, 0.5, 0.6]) {
      const results = (
        await Promise.all(locales.map((locale) => evaluateLocale(classifier, locale, { route, clarify })))
      ).flatMap((e) => e.results);
      const requests = results.filter((r) => r.expected !== NONE_INTENT);
      const triggers = falseTriggers(results);
      sweep.push([
        String(route),
        String(clarify),
        percent(requestAccuracy(results)),
        percent(
          requests.filter((r) => r.how === 'route' && r.predicted === r.expected).length / requests.length,
        ),
        percent(
          requests.filter((r) => r.how === 'route' && r.predicted !== r.expected).length / requests.length,
        ),
        percent(triggers.length / results.filter((r) => r.expected === NONE_INTENT).length),
        String(triggers.filter((r) => DESTRUCTIVE_INTENTS.includes(r.predicted)).length),
      ]);
    }
  }
  console.log(withRule(sweep));

  const overlaps = locales.flatMap((locale) => overlapWithTraining(corpus, locale));
  console.log(`Held-out sentences also in training: ${overlaps.length}`);

  const cost = await measureIntentCost();
  console.log(
    `\nCost: training ${cost.trainingUtterances} utterances in ${cost.locales.length} languages ` +
      `${cost.trainMs.toFixed(0)} ms; loading the cached model ${cost.loadFromCacheMs.toFixed(0)} ms; ` +
      `classification ${cost.classifyMsPerMessage.toFixed(3)} ms per message (max ${cost.classifyMaxMs.toFixed(2)} ms, ` +
      `${cost.classifiedMessages} messages)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

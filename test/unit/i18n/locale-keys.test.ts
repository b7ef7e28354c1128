import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LOCALES } from '../../../src/i18n/locales';
import { normalisePhrase } from '../../../src/i18n/i18n';

const root = path.resolve(__dirname, '../../..');
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value) || typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key));
}

function resources(locale: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(root, 'locales', locale, 'translation.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

const code = ['src', 'dialogs', 'adapters']
  .flatMap((dir) => sourceFiles(path.join(root, dir)))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

/** Keys without plural suffixes, as code refers to them. */
function baseKeys(locale: string): Set<string> {
  return new Set(flatten(resources(locale)).map((key) => key.replace(PLURAL_SUFFIX, '')));
}

describe('locale files', () => {
  const english = baseKeys('en');

  it.each(LOCALES.filter((locale) => locale !== 'en'))('%s has exactly the keys English has', (locale) => {
    expect([...baseKeys(locale)].sort()).toEqual([...english].sort());
  });

  it.each([...LOCALES])('%s has every plural form its language needs', (locale) => {
    const keys = new Set(flatten(resources(locale)));
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const pluralBases = new Set(
      [...keys].filter((key) => PLURAL_SUFFIX.test(key)).map((key) => key.replace(PLURAL_SUFFIX, '')),
    );
    for (const base of pluralBases) {
      for (const category of categories.filter((c) => c !== 'zero' && c !== 'two' && c !== 'few')) {
        expect(keys).toContain(`${base}_${category}`);
      }
    }
  });

  it('every key code asks for exists', () => {
    const used = [...code.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)].map((match) => match[1]!);
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((key) => !english.has(key))).toEqual([]);
  });

  it('every key is used by code', () => {
    const unused = [...english].filter((key) => !key.startsWith('intents.') && !code.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });

  it('every intent is handled by a dialog', () => {
    const intents = Object.keys(resources('en').intents as object);
    const missing = intents.filter((intent) => !code.includes(`intent: '${intent}'`));
    expect(missing).toEqual([]);
  });

  it('no phrase starts two different intents, across all languages', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const locale of LOCALES) {
      for (const [intent, phrases] of Object.entries(resources(locale).intents as Record<string, string[]>)) {
        for (const phrase of phrases) {
          const key = normalisePhrase(phrase);
          const previous = owner.get(key);
          if (previous && previous !== intent)
            clashes.push(`${locale}: "${phrase}" is ${previous} and ${intent}`);
          owner.set(key, intent);
        }
      }
    }
    expect(clashes).toEqual([]);
  });
});

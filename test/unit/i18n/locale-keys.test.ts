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

/** Every text the bot says (not the phrases it recognises), with its key, in one locale. */
function sayings(locale: string): Array<[string, string]> {
  const walk = (value: unknown, prefix: string): Array<[string, string]> => {
    if (typeof value === 'string') return [[prefix, value]];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    return Object.entries(value).flatMap(([key, inner]) => walk(inner, prefix ? `${prefix}.${key}` : key));
  };
  return walk(resources(locale), '').filter(([key]) => !key.startsWith('intents.'));
}

function matching(locale: string, pattern: RegExp): string[] {
  return sayings(locale)
    .filter(([, text]) => pattern.test(text))
    .map(([key]) => key);
}

/**
 * Issue 16, item 9: promises the code does not keep, and defects a native speaker notices at once.
 * Each pattern is the sentence as it was, so it cannot come back in any language.
 */
describe('what the bot says about privacy is true, in every language', () => {
  const UNTRUE: Record<string, RegExp[]> = {
    en: [
      /I store nothing about you without your consent/,
      /everything stored is encrypted/i,
      /so even backups become unreadable/,
      /Nothing is sold or shared/,
      /I will not store anything about you/,
      /I just remember nothing/,
    ],
    de: [
      /Ohne deine Einwilligung speichere ich nichts über dich/,
      /alles Gespeicherte ist verschlüsselt/,
      /sodass selbst Backups unlesbar werden/,
      /Nichts wird verkauft oder weitergegeben/,
      /Ich speichere nichts über dich\./,
      /ich merke mir nur nichts\.(?! von)/,
    ],
    es: [
      /No guardo nada sobre ti sin tu consentimiento/,
      /todo lo que guardo está cifrado/,
      /incluso las copias de seguridad se vuelven ilegibles/,
      /No se vende ni se comparte nada/,
      /no guardaré nada sobre ti/,
      /solo que no recuerdo nada/,
    ],
    fr: [
      /Je ne conserve rien à votre sujet sans votre consentement/,
      /tout ce qui est conservé est chiffré/,
      /même les sauvegardes deviennent illisibles/,
      /Rien n’est vendu ni partagé/,
      /je ne conserverai rien à votre sujet/,
      /je ne retiens simplement rien/,
    ],
  };

  it.each(Object.entries(UNTRUE))('%s: none of the untrue promises is said', (locale, patterns) => {
    expect(
      patterns.flatMap((pattern) => matching(locale, pattern).map((key) => `${key}: ${pattern}`)),
    ).toEqual([]);
  });

  it('French says "introduire une réclamation" (the GDPR term), never "porter plainte"', () => {
    expect(matching('fr', /porter plainte/)).toEqual([]);
    expect(matching('fr', /introduire une réclamation/).sort()).toEqual(
      expect.arrayContaining(['breach.notice', 'extension.notice', 'privacy.contact']),
    );
  });

  it('French addresses the person as "vous" throughout (the example phrases too)', () => {
    // "tu" forms the bot would say or tell the person to type: retiens, t'ai dit, te/ton/ta/tes.
    expect(
      matching('fr', /\b(retiens|tu|ton|ta|tes|toi)\b|\bt’(ai|as)\b|\bte (souviens|rappelles)\b/),
    ).toEqual([]);
  });

  it('French asks to delete ("supprimer") with the word it requires (SUPPRIMER), never "effacer"', () => {
    const fr = resources('fr') as { delete: Record<string, string> };
    expect(fr.delete.confirmWord).toBe('SUPPRIMER');
    const deleting = sayings('fr').filter(
      ([key]) =>
        key.startsWith('delete.') ||
        key.endsWith('.delete') ||
        key === 'privacy.rights' ||
        key === 'breach.notice',
    );
    expect(deleting.filter(([, text]) => /effac/i.test(text)).map(([key]) => key)).toEqual([]);
    expect(fr.delete.confirmButton).toMatch(/supprimer/);
  });

  it('Spanish says "borrar" for erasing, never "eliminar", and no ambiguous "Decir que no está bien"', () => {
    expect(matching('es', /elimin/i)).toEqual([]);
    expect(matching('es', /Decir que no está bien/)).toEqual([]);
    const es = resources('es') as { delete: Record<string, string> };
    expect(es.delete.confirmWord).toBe('BORRAR');
  });

  it.each(['de', 'es', 'fr'])(
    '%s: a purpose or field name is never dropped after a bare preposition ("für Gesprächsverlauf")',
    (locale) => {
      expect(matching(locale, /\b(für|pour|para|por|de|du)\s+\{\{(purpose|field)\}\}/)).toEqual([]);
    },
  );
});

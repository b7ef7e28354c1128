import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locale } from './locales';

/** The class of messages that ask for nothing the bot does ("I deleted the photo yesterday"). */
export const NONE_INTENT = 'none';

/** What one locale's `locales/<lang>/intents.json` holds. */
export interface LocaleIntents {
  readonly locale: Locale;
  /** Training utterances per intent, `none` included, in file order (training is order-sensitive). */
  readonly utterances: Readonly<Record<string, readonly string[]>>;
  /**
   * Words one of which a free-text erasure or withdrawal must contain: the person (me, mich),
   * what is theirs (data, consent, account, everything) or the request form of the verb (delete,
   * not deleted). "I deleted some old emails" names none of them and so never reaches erasure.
   */
  readonly destructiveMarkers: readonly string[];
  /** Explicit answers to a yes/no question, such as a pending confirmation. */
  readonly answers: { readonly yes: readonly string[]; readonly no: readonly string[] };
}

export interface IntentCorpus {
  readonly locales: readonly LocaleIntents[];
  /** SHA-256 of everything training reads: a cached model is used only for the same corpus. */
  readonly hash: string;
}

interface IntentsFile {
  answers?: { yes?: string[]; no?: string[] };
  destructiveMarkers?: string[];
  utterances?: Record<string, string[]>;
}

/**
 * The classifier's training data: `locales/<lang>/intents.json`, plus the exact phrases of the same
 * intents in `translation.json` (`intents.*`, without the `{{args}}` prefix phrases), so a phrase
 * that always worked is also a training example. A locale without intents.json has exact phrases only.
 */
export function readIntentCorpus(localesDir: string, locales: readonly Locale[]): IntentCorpus {
  const read = locales.flatMap((locale) => {
    const file = path.join(localesDir, locale, 'intents.json');
    if (!existsSync(file)) return [];
    const intents = JSON.parse(readFileSync(file, 'utf8')) as IntentsFile;
    const translation = JSON.parse(
      readFileSync(path.join(localesDir, locale, 'translation.json'), 'utf8'),
    ) as {
      intents?: Record<string, string[]>;
    };
    const utterances: Record<string, string[]> = {};
    for (const [intent, examples] of Object.entries(intents.utterances ?? {})) {
      const phrases = (translation.intents?.[intent] ?? []).filter((phrase) => !phrase.includes('{{'));
      utterances[intent] = [...phrases, ...examples];
    }
    const answers = { yes: intents.answers?.yes ?? [], no: intents.answers?.no ?? [] };
    return [{ locale, utterances, answers, destructiveMarkers: intents.destructiveMarkers ?? [] }];
  });
  const hash = createHash('sha256').update(JSON.stringify(read)).digest('hex');
  return { locales: read, hash };
}

/**
 * The few parts of NLP.js (https://github.com/axa-group/nlp.js, v4) the intent classifier uses.
 * NLP.js ships no TypeScript types; these describe only what src/i18n/intent-classifier.ts calls.
 */
declare module '@nlpjs/core' {
  /** The NLP.js dependency container: language plugins (tokenizers, stemmers) are registered on it. */
  export interface Container {
    use(plugin: unknown): void;
  }
  export function containerBootstrap(): Container;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpClassification {
    readonly intent: string;
    readonly score: number;
  }

  export interface NluResult {
    readonly classifications: readonly NlpClassification[];
  }

  export interface NlpSettings {
    container: Container;
    autoSave?: boolean;
    autoLoad?: boolean;
    nlu?: { log?: boolean; useNoneFeature?: boolean };
  }

  /** One domain's NLU: `cache.results[locale][text]` memoises prepared texts (see forgetTexts). */
  export interface DomainNlu {
    cache?: { results: Record<string, Record<string, unknown>> };
  }

  export interface NluManager {
    process(locale: string, utterance: string): Promise<NluResult>;
    readonly domainManagers: Record<string, { readonly domains: Record<string, DomainNlu> }>;
  }

  export class Nlp {
    constructor(settings: NlpSettings);
    readonly nluManager: NluManager;
    addLanguage(locale: string): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    /** The trained model as JSON text. */
    export(minified?: boolean): string;
    import(model: string): void;
  }
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-de' {
  export const LangDe: unknown;
}
declare module '@nlpjs/lang-es' {
  export const LangEs: unknown;
}
declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}

/**
 * The product's pipeline several ways, each on storage of its own (bench/support/storage.ts):
 *
 * - full: the app exactly as `npm start` builds it (createApp) on the default SQLite backend,
 *   encrypted history;
 * - plaintext: the same engine and the same SQLite stores, but fields pass through
 *   PlaintextSealer (assembled here with createAppFrom; the product has no such switch);
 * - noStorage: the product again, with people who declined consent, so no content is stored;
 * - fullMongo (only when MONGODB_URI is set): `full` on MongoDB instead of SQLite.
 *
 * Every variant's key provider is wrapped in a counter, so KMS calls per turn are measured, not assumed.
 */
import type { IncomingMessage, OutgoingMessage } from '../../src/core/messages';
import type { AppConfig } from '../../src/config/config';
import { type App, createApp, createAppFrom } from '../../src/app';
import { createEnvelopeEncryption } from '../../src/crypto/create-envelope-encryption';
import { createKeyProvider } from '../../src/crypto/create-key-provider';
import type { Logger } from '../../src/logging/logger';
import { ACCEPT_ALL_AS_ADULT, type ConsentPress, DECLINE, consentButtonFor } from './consent-press';
import { keptInHistory, scriptedText } from './conversation';
import { CountingKeyProvider, type KeyProviderCalls, callsBetween } from './counting-key-provider';
import { type Crowd, PerPersonQueue } from './crowd';
import { type LoadRun, runConcurrent } from './load';
import { PlaintextSealer } from './plaintext-cipher';
import { type BenchStorage, openBenchMongo, openBenchSqlite } from './storage';

/** The variants every run measures; fullMongo joins them when MONGODB_URI is set. */
export const PIPELINE_VARIANTS = ['full', 'plaintext', 'noStorage'] as const;
export type PipelineVariantName = (typeof PIPELINE_VARIANTS)[number] | 'fullMongo';

export const VARIANT_LABELS: Record<PipelineVariantName, string> = {
  full: 'full (encrypted history)',
  plaintext: 'plaintext storage',
  noStorage: 'no storage (declined)',
  fullMongo: 'full on MongoDB',
};

/** The variants to measure: fullMongo too when the configuration names a MongoDB. */
export function variantsFor(config: AppConfig): PipelineVariantName[] {
  return config.storage.mongoUri ? [...PIPELINE_VARIANTS, 'fullMongo'] : [...PIPELINE_VARIANTS];
}

/** The consent button each variant's people press first: everything, or nothing at all. */
const CONSENT_ACTION: Record<PipelineVariantName, ConsentPress> = {
  full: ACCEPT_ALL_AS_ADULT,
  plaintext: ACCEPT_ALL_AS_ADULT,
  noStorage: DECLINE,
  fullMongo: ACCEPT_ALL_AS_ADULT,
};

export interface PipelineVariant {
  readonly name: PipelineVariantName;
  readonly app: App;
  readonly storage: BenchStorage;
  readonly provider: CountingKeyProvider;
  close(): Promise<void>;
}

/**
 * `storage`: where the variant stores (disposed with it); by default storage of its own
 * (bench/support/storage.ts). Tests pass their own to look at the files afterwards.
 */
export async function startVariant(
  name: PipelineVariantName,
  config: AppConfig,
  logger: Logger,
  storage?: BenchStorage,
): Promise<PipelineVariant> {
  storage ??= await openStorageFor(name, config, logger);
  try {
    const provider = new CountingKeyProvider(await createKeyProvider(config, logger));
    const app =
      name === 'plaintext'
        ? await plaintextApp(config, logger, storage, provider)
        : await createApp({ config, logger, storage: storage.backend, keyProvider: provider });
    return {
      name,
      app,
      storage,
      provider,
      close: async () => {
        await app.close();
        await storage.dispose();
      },
    };
  } catch (error) {
    await storage.dispose();
    throw error;
  }
}

function openStorageFor(name: PipelineVariantName, config: AppConfig, logger: Logger): Promise<BenchStorage> {
  const prefix = `bench_${name.toLowerCase()}`;
  if (name !== 'fullMongo') return openBenchSqlite(prefix, logger);
  if (!config.storage.mongoUri) throw new Error('the fullMongo variant needs MONGODB_URI');
  return openBenchMongo(config.storage.mongoUri, prefix, logger);
}

/** The same stores with a pass-through sealer; data keys are still wired for erasure. */
async function plaintextApp(
  config: AppConfig,
  logger: Logger,
  storage: BenchStorage,
  provider: CountingKeyProvider,
): Promise<App> {
  const encryption = createEnvelopeEncryption({
    config,
    provider,
    store: storage.backend.dataKeys,
    logger,
  });
  const clock = () => new Date();
  const stores = storage.backend.createStores(new PlaintextSealer(), clock);
  return createAppFrom({ config, logger, stores, encryption, clock });
}

export interface PipelineRound {
  /** The first turn of every person (the consent button), timed on its own. */
  readonly onboarding: LoadRun;
  readonly conversation: LoadRun;
  readonly kms: { readonly onboarding: KeyProviderCalls; readonly conversation: KeyProviderCalls };
  /** Key-cache lookups during the conversation turns. */
  readonly cache: { readonly hits: number; readonly misses: number };
  /** History lines stored for this round's people (checked against what the turns should store). */
  readonly historyStored: number;
}

/** A crowd of `round`'s people (ids unique to the round) talking to a pipeline variant. */
export class PipelineCrowd implements Crowd {
  private readonly checker: ReplyChecker;
  /** Each person who joined, and how many conversation turns they have sent. */
  private readonly turns = new Map<number, number>();
  private readonly queue = new PerPersonQueue();

  constructor(
    private readonly variant: PipelineVariant,
    private readonly round: string,
  ) {
    this.checker = new ReplyChecker(variant.app);
  }

  get size(): number {
    return this.turns.size;
  }

  user(person: number): string {
    return `${this.round}-p${person}`;
  }

  subjectId(person: number): string {
    return this.variant.app.services.subjectIds.of('console', this.user(person));
  }

  async join(person: number): Promise<void> {
    if (this.turns.has(person)) throw new Error(`person ${person} has joined already`);
    this.turns.set(person, 0);
    // The button as the bot issues it to this person (consent buttons are signed per person).
    const action = consentButtonFor(this.variant.app, this.user(person), CONSENT_ACTION[this.variant.name]);
    await this.queue.run(person, () => this.send(person, { action }));
  }

  async next(person: number): Promise<void> {
    const turn = this.turns.get(person);
    if (turn === undefined) throw new Error(`person ${person} has not joined`);
    this.turns.set(person, turn + 1);
    await this.queue.run(person, () =>
      this.send(person, { text: scriptedText(person, turn) }, keptInHistory(turn)),
    );
  }

  async check(): Promise<void> {
    this.checker.assertClean(this.variant.name);
    const subjectIds = [...this.turns.keys()].map((person) => this.subjectId(person));
    const historyStored = await countHistory(this.variant.app, subjectIds);
    const expected = this.variant.name === 'noStorage' ? 0 : this.checker.historyLines;
    if (historyStored !== expected) {
      throw new Error(`${this.variant.name}: ${historyStored} history lines stored, expected ${expected}`);
    }
  }

  /** History lines stored for this crowd (checked by check()). */
  historyLines(): number {
    return this.variant.name === 'noStorage' ? 0 : this.checker.historyLines;
  }

  private async send(person: number, input: { text: string } | { action: string }, kept = true) {
    const message: IncomingMessage = {
      channel: 'console',
      conversationKey: this.user(person),
      userKey: this.user(person),
      isPrivateChat: true,
      receivedAt: new Date(),
      ...input,
    };
    this.checker.record(message, await this.variant.app.engine.handle(message), kept);
  }
}

/**
 * One closed-loop run: `people` new people (ids unique to `round`, so no one is rate-limited or
 * warm from an earlier run) press the consent button, then hold `turns` turns each.
 */
export async function runPipelineRound(
  variant: PipelineVariant,
  round: string,
  people: number,
  turns: number,
): Promise<PipelineRound> {
  const { app, provider } = variant;
  const crowd = new PipelineCrowd(variant, round);
  const kmsBefore = provider.calls();
  const onboarding = await runConcurrent(people, 1, (person) => crowd.join(person));
  const kmsAfterOnboarding = provider.calls();
  const cacheBefore = app.encryption.cache.stats();
  const conversation = await runConcurrent(people, turns, (person) => crowd.next(person));
  const cacheAfter = app.encryption.cache.stats();
  const kmsAfter = provider.calls();
  await crowd.check();
  return {
    onboarding,
    conversation,
    kms: {
      onboarding: callsBetween(kmsBefore, kmsAfterOnboarding),
      conversation: callsBetween(kmsAfterOnboarding, kmsAfter),
    },
    cache: { hits: cacheAfter.hits - cacheBefore.hits, misses: cacheAfter.misses - cacheBefore.misses },
    historyStored: crowd.historyLines(),
  };
}

/** History lines stored for these people, counted by the stores (no decryption, any backend). */
async function countHistory(app: App, subjectIds: readonly string[]): Promise<number> {
  let count = 0;
  for (const subjectId of subjectIds) count += (await app.services.stores.history.summary(subjectId)).count;
  return count;
}

/**
 * Makes sure the benchmark measured answers, not apologies: a turn refused by the rate limiter or
 * failed on storage or keys would be fast and meaningless. Also counts the history lines the
 * turns should have stored (a typed message plus each text reply, as the record-history step
 * does, for every turn the engine keeps in history).
 */
class ReplyChecker {
  private readonly trouble: ReadonlyMap<string, string>;
  private readonly problems = new Map<string, number>();
  historyLines = 0;

  constructor(app: App) {
    const t = app.services.i18n.translator('en');
    const keys = [
      'errors.generic',
      'errors.storageUnavailable',
      'errors.keysUnavailable',
      'history.notSaved',
      'input.rateLimited',
      'input.unknownAction',
    ];
    this.trouble = new Map(keys.map((key) => [t(key), key]));
  }

  record(message: IncomingMessage, replies: readonly OutgoingMessage[], kept: boolean): void {
    if (kept && message.text?.trim() && !message.action) this.historyLines++;
    let texts = 0;
    for (const reply of replies) {
      if (reply.kind !== 'text' || !reply.text) continue;
      texts++;
      const problem = [...this.trouble].find(([text]) => reply.text.includes(text))?.[1];
      if (problem) this.problems.set(problem, (this.problems.get(problem) ?? 0) + 1);
    }
    if (kept) this.historyLines += texts;
    if (texts === 0) this.problems.set('no text reply', (this.problems.get('no text reply') ?? 0) + 1);
  }

  assertClean(variant: string): void {
    if (this.problems.size === 0) return;
    const list = [...this.problems].map(([problem, count]) => `${problem} x${count}`).join(', ');
    throw new Error(
      `${variant}: turns did not get a normal answer (${list}); the figures would be meaningless`,
    );
  }
}

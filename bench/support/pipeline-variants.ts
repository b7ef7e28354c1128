/**
 * The product's pipeline three ways, each on a fresh database of its own:
 *
 * - full: the app exactly as `npm start` builds it (createApp), encrypted history;
 * - plaintext: the same engine and the same Mongo stores, but fields pass through PlaintextSealer
 *   (assembled here with createAppFrom; the product has no such switch);
 * - noStorage: the product again, with people who declined consent, so no content is stored.
 *
 * Every variant's key provider is wrapped in a counter, so KMS calls per turn are measured, not assumed.
 */
import type { IncomingMessage, OutgoingMessage } from '../../src/core/messages';
import type { AppConfig } from '../../src/config/config';
import { type App, createApp, createAppFrom } from '../../src/app';
import { createEnvelopeEncryption, createKeyProvider } from '../../src/crypto';
import type { Logger } from '../../src/logging/logger';
import { MongoDataKeyStore } from '../../src/storage/mongo/data-key-store';
import { historyEntryModel } from '../../src/storage/mongo/models/history-entry';
import type { ProvisionedMongo } from '../../src/storage/mongo/provision';
import { createMongoStores } from '../../src/storage/mongo/stores';
import { ADULT_ACCEPTS_ALL } from '../../test/support/test-app';
import { scriptedText } from './conversation';
import { CountingKeyProvider, type KeyProviderCalls, callsBetween } from './counting-key-provider';
import { type LoadRun, runConcurrent } from './load';
import { type FreshDatabase, openFreshDatabase } from './mongo';
import { PlaintextSealer } from './plaintext-cipher';

export const PIPELINE_VARIANTS = ['full', 'plaintext', 'noStorage'] as const;
export type PipelineVariantName = (typeof PIPELINE_VARIANTS)[number];

export const VARIANT_LABELS: Record<PipelineVariantName, string> = {
  full: 'full (encrypted history)',
  plaintext: 'plaintext storage',
  noStorage: 'no storage (declined)',
};

/** The consent button each variant's people press first: everything, or nothing at all. */
const CONSENT_ACTION: Record<PipelineVariantName, string> = {
  full: ADULT_ACCEPTS_ALL,
  plaintext: ADULT_ACCEPTS_ALL,
  noStorage: 'consent:none:en',
};

export interface PipelineVariant {
  readonly name: PipelineVariantName;
  readonly app: App;
  readonly db: FreshDatabase;
  readonly provider: CountingKeyProvider;
  /** History lines stored for these people: checks each run stored what it should. */
  countHistory(subjectIds: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

export async function startVariant(
  name: PipelineVariantName,
  mongo: ProvisionedMongo,
  config: AppConfig,
  logger: Logger,
): Promise<PipelineVariant> {
  const db = await openFreshDatabase(mongo, `bench_${name.toLowerCase()}`, logger);
  try {
    const provider = new CountingKeyProvider(await createKeyProvider(config, logger));
    const app =
      name === 'plaintext'
        ? await plaintextApp(config, logger, db, provider)
        : await createApp({ config, logger, connection: db.connection, keyProvider: provider });
    return {
      name,
      app,
      db,
      provider,
      countHistory: (subjectIds) =>
        historyEntryModel(db.connection)
          .countDocuments({ subjectId: { $in: subjectIds } })
          .exec(),
      close: async () => {
        app.close();
        await db.drop();
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}

/** The same Mongo stores with a pass-through sealer; data keys are still wired for erasure. */
async function plaintextApp(
  config: AppConfig,
  logger: Logger,
  db: FreshDatabase,
  provider: CountingKeyProvider,
): Promise<App> {
  const encryption = createEnvelopeEncryption({
    config,
    provider,
    store: new MongoDataKeyStore(db.connection),
    logger,
  });
  const stores = createMongoStores(db.connection, new PlaintextSealer());
  return createAppFrom({ config, logger, stores, encryption });
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

/**
 * One run: `people` new people (ids unique to `round`, so no one is rate-limited or warm from an
 * earlier run) press the consent button, then hold `turns` turns each.
 */
export async function runPipelineRound(
  variant: PipelineVariant,
  round: string,
  people: number,
  turns: number,
): Promise<PipelineRound> {
  const { app, provider } = variant;
  const user = (person: number) => `${round}-p${person}`;
  const checker = new ReplyChecker(app);
  const send = async (person: number, input: { text: string } | { action: string }): Promise<void> => {
    const message: IncomingMessage = {
      channel: 'console',
      conversationKey: user(person),
      userKey: user(person),
      isPrivateChat: true,
      receivedAt: new Date(),
      ...input,
    };
    checker.record(message, await app.engine.handle(message));
  };

  const kmsBefore = provider.calls();
  const onboarding = await runConcurrent(people, 1, (person) =>
    send(person, { action: CONSENT_ACTION[variant.name] }),
  );
  const kmsAfterOnboarding = provider.calls();
  const cacheBefore = app.encryption.cache.stats();
  const conversation = await runConcurrent(people, turns, (person, turn) =>
    send(person, { text: scriptedText(person, turn) }),
  );
  const cacheAfter = app.encryption.cache.stats();
  const kmsAfter = provider.calls();

  checker.assertClean(variant.name);
  const subjectIds = Array.from({ length: people }, (_, person) =>
    app.services.subjectIds.of('console', user(person)),
  );
  const historyStored = await variant.countHistory(subjectIds);
  const expected = variant.name === 'noStorage' ? 0 : checker.historyLines;
  if (historyStored !== expected) {
    throw new Error(`${variant.name}: ${historyStored} history lines stored, expected ${expected}`);
  }
  return {
    onboarding,
    conversation,
    kms: {
      onboarding: callsBetween(kmsBefore, kmsAfterOnboarding),
      conversation: callsBetween(kmsAfterOnboarding, kmsAfter),
    },
    cache: { hits: cacheAfter.hits - cacheBefore.hits, misses: cacheAfter.misses - cacheBefore.misses },
    historyStored,
  };
}

/**
 * Makes sure the benchmark measured answers, not apologies: a turn refused by the rate limiter or
 * failed on storage or keys would be fast and meaningless. Also counts the history lines the
 * turns should have stored (a typed message plus each text reply, as the record-history step does).
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

  record(message: IncomingMessage, replies: readonly OutgoingMessage[]): void {
    if (message.text?.trim() && !message.action) this.historyLines++;
    let texts = 0;
    for (const reply of replies) {
      if (reply.kind !== 'text' || !reply.text) continue;
      texts++;
      const problem = [...this.trouble].find(([text]) => reply.text.includes(text))?.[1];
      if (problem) this.problems.set(problem, (this.problems.get(problem) ?? 0) + 1);
    }
    this.historyLines += texts;
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

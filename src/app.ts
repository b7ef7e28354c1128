import { createDialogs } from '../dialogs';
import type { AppConfig } from './config/config';
import { type EnvelopeEncryption, createEnvelopeEncryption } from './crypto/create-envelope-encryption';
import { type CreateKeyProviderOptions, createKeyProvider } from './crypto/create-key-provider';
import type { KeyProvider } from './crypto/key-provider';
import { Engine } from './engine/engine';
import type { EngineServices } from './engine/turn';
import { I18n, LOCALES_DIR } from './i18n/i18n';
import type { Logger } from './logging/logger';
import { ConsentService } from './privacy/consent-service';
import { DataRights } from './privacy/rights/data-rights';
import { SubjectIds, loadPepper } from './privacy/subject-id';
import { UsageTally } from './privacy/usage-tally';
import type { Stores } from './storage/ports';
import type { StorageBackend } from './storage/backend';

export interface App {
  readonly engine: Engine;
  readonly services: EngineServices;
  readonly encryption: EnvelopeEncryption;
  /**
   * Write the usage counts still in memory, then zero cached data keys and close KMS connections.
   * Call it before closing the storage backend (which is the caller's).
   */
  close(): Promise<void>;
}

export interface AppDeps {
  readonly config: AppConfig;
  readonly logger: Logger;
  /** The open backend (src/storage/open-storage.ts); the caller closes it after the app. */
  readonly storage: StorageBackend;
  readonly clock?: () => Date;
  /** Tests and tools: point the AWS provider at a KMS double, or bring a provider of their own. */
  readonly keyProviderOptions?: CreateKeyProviderOptions;
  readonly keyProvider?: KeyProvider;
}

/**
 * Builds the engine and everything it needs on an open database connection. Shared by
 * `npm start`, the operator tools, the tests and the benchmark, so they all run the same code.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger, storage } = deps;
  const provider = deps.keyProvider ?? (await createKeyProvider(config, logger, deps.keyProviderOptions));
  const encryption = createEnvelopeEncryption({
    config,
    provider,
    store: storage.dataKeys,
    logger,
  });
  // Personal content is sealed by the envelope cipher: the product has no other way to store it.
  const clock = deps.clock ?? (() => new Date());
  const stores = storage.createStores(encryption.cipher, clock);
  return createAppFrom({ config, logger, stores, encryption, clock });
}

/** What createAppFrom assembles the app from: storage and encryption already built. */
export interface AppParts {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly stores: Stores;
  /** The data keys erasure shreds, the key cache, and what close() releases. */
  readonly encryption: EnvelopeEncryption;
  readonly clock?: () => Date;
}

/**
 * The app on stores the caller built. createApp is the product's one caller; the benchmark uses it
 * to run the same engine on the same stores with a pass-through sealer of its own (bench/
 * only), which is how it measures what encryption costs without the product having a switch
 * that turns encryption off.
 */
export async function createAppFrom(parts: AppParts): Promise<App> {
  const { config, logger, stores, encryption } = parts;
  const clock = parts.clock ?? (() => new Date());
  const consent = new ConsentService(stores, config.privacy.policyVersion, config.retention);
  const services: EngineServices = {
    config,
    logger,
    i18n: I18n.load(LOCALES_DIR, config.defaultLocale),
    stores,
    subjectIds: new SubjectIds(await loadPepper(config.privacy.pepper, config.dataDir)),
    consent,
    rights: new DataRights({ stores, keys: encryption.dataKeys, config, logger, clock }),
    dialogs: createDialogs(),
    usage: new UsageTally(stores.usage, config.retention.analyticsMonths, clock, logger),
    clock,
  };
  services.usage.start(config.analytics.flushMs);
  const close = async () => {
    try {
      await services.usage.stop();
    } finally {
      encryption.close();
    }
  };
  return { engine: new Engine(services), services, encryption, close };
}

import type { Connection } from 'mongoose';
import { createDialogs } from '../dialogs';
import type { AppConfig } from './config/config';
import { Engine } from './engine/engine';
import type { EngineServices } from './engine/services';
import { I18n, LOCALES_DIR } from './i18n/i18n';
import type { Logger } from './logging/logger';
import { ConsentService } from './privacy/consent-service';
import { SubjectIds, loadPepper } from './privacy/subject-id';
import { createMongoStores } from './storage/mongo/stores';

export interface App {
  readonly engine: Engine;
  readonly services: EngineServices;
}

/**
 * Builds the engine and everything it needs on an open database connection. Shared by
 * `npm start`, the operator tools, the tests and the benchmark, so they all run the same code.
 */
export async function createApp(deps: {
  config: AppConfig;
  logger: Logger;
  connection: Connection;
  clock?: () => Date;
}): Promise<App> {
  const { config, logger, connection } = deps;
  const stores = createMongoStores(connection);
  const consent = new ConsentService(stores, config.privacy.policyVersion, config.retention.evidenceMs);
  consent.onWithdrawal(async (subjectId) => {
    await stores.conversations.deleteAllOf(subjectId);
  });
  const services: EngineServices = {
    config,
    logger,
    i18n: I18n.load(LOCALES_DIR, config.defaultLocale),
    stores,
    subjectIds: new SubjectIds(await loadPepper(config.privacy.pepper, config.dataDir)),
    consent,
    dialogs: createDialogs(),
    clock: deps.clock ?? (() => new Date()),
  };
  return { engine: new Engine(services), services };
}

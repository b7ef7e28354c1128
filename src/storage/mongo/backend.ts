import type { Logger } from '../../logging/logger';
import type { StorageBackend } from '../backend';
import { openDatabase } from './connection';
import { MongoDataKeyStore } from './data-key-store';
import { guarded } from './guard';
import { inventoryOf, purgePersonalDocuments } from './purge';
import { createMongoStores, registerModels, sweepExpiredDocuments } from './stores';

/**
 * MongoDB through mongoose, for several bot processes, replica sets and sharding by subject id.
 * TTL indexes (`expireAfterSeconds: 0`) delete expired documents, so the app runs no sweeper;
 * `sweepExpired` exists for the contract suite and the operator.
 */
export async function openMongoBackend(
  uri: string,
  logger: Logger,
  options: { dbName?: string } = {},
): Promise<StorageBackend> {
  const db = await openDatabase(uri, logger, registerModels, options);
  const { connection } = db;
  return {
    kind: 'mongodb',
    location: `mongodb database ${connection.name}`,
    dataKeys: new MongoDataKeyStore(connection),
    createStores: (sealer, clock) => createMongoStores(connection, sealer, clock),
    expiresByItself: true,
    sweepExpired: (now) => sweepExpiredDocuments(connection, now),
    inventory: () => guarded('inventory', () => inventoryOf(connection)),
    purgePersonalData: () => guarded('purge', () => purgePersonalDocuments(connection)),
    close: () => db.close(),
  };
}

import { createLogger } from '../../src/logging/logger';
import { provisionMongo } from '../../src/storage/mongo/provision';

/**
 * `npm run db:provision`: find or fetch a mongod ahead of time (CI runs it before the tests so a
 * slow NuGet restore is not charged to the first test), print where it came from, stop it.
 */
provisionMongo({ mongodBin: process.env.MONGOD_BIN, logger: createLogger('warn') }).then(
  async (mongo) => {
    process.stdout.write(`mongod available: ${mongo.source}\n`);
    await mongo.stop();
  },
  (error: unknown) => {
    process.stdout.write(`${(error as Error).message}\n`);
    // Not fatal here: npm test prints the same loudly and decides.
    process.exit(0);
  },
);

import { parseArgs } from 'node:util';
import { loadConfig } from './config/config';
import { ConfigError, errorCode } from './core/errors';
import { createApp } from './app';
import { chooseChannels } from './channels';
import { createLogger } from './logging/logger';
import { openDatabase } from './storage/mongo/connection';
import { provisionMongo } from './storage/mongo/provision';
import { registerModels } from './storage/mongo/stores';
import path from 'node:path';

/**
 * Composition root: configuration, database, engine, channels, and a graceful shutdown.
 * `npm start` runs every configured channel (the terminal when none is); `npm run chat` the terminal.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { channel: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  const mongo = await provisionMongo({
    uri: config.mongo.uri,
    mongodBin: config.mongo.mongodBin,
    persistentDbPath: path.join(config.dataDir, 'mongodb'),
    logger,
  });
  const db = await openDatabase(mongo.uri, logger, registerModels);
  const app = await createApp({ config, logger, connection: db.connection });
  const choice = await chooseChannels(config, logger, {
    forceConsole: values.channel === 'console',
    json: values.json ?? false,
  });

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    choice.http?.setReady(false);
    await Promise.allSettled(choice.channels.map((channel) => channel.stop()));
    await choice.http?.close();
    app.close();
    await db.close();
    await mongo.stop();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal).finally(() => process.exit(0)));
  }

  for (const channel of choice.channels) await channel.start(app.engine.handle);
  if (choice.http) {
    await choice.http.listen(config.http.port, config.http.host);
    choice.http.setReady(true);
  }
  logger.info({ channels: choice.channels.map((channel) => channel.name) }, 'bot started');

  if (choice.finished) {
    await choice.finished;
    await shutdown('input ended');
  }
}

main().catch((error: unknown) => {
  // Configuration errors name the variable; print them plainly so the fix is obvious.
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else if (errorCode(error) === 'MONGOD_NOT_FOUND') process.stderr.write(`${(error as Error).message}\n`);
  else process.stderr.write(`start-up failed: ${errorCode(error)}\n`);
  process.exit(1);
});

import { parseArgs } from 'node:util';
import { loadConfig } from './config/config';
import { ConfigError, errorCode } from './core/errors';
import { createApp } from './app';
import { chooseChannels } from './channels';
import { buildCommandMenu } from './engine/command-menu';
import { LocaleTexts } from './i18n/locale-texts';
import { createLogger } from './logging/logger';
import { openStorage } from './storage/open-storage';
import { RetentionSweeper } from './storage/retention-sweeper';

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

  const storage = await openStorage(config, logger);
  const sweeper = new RetentionSweeper(storage, logger, config.storage.sweepIntervalMs);
  await sweeper.start();
  const app = await createApp({ config, logger, storage });
  // Load (or train) the intent classifier now, so the first person to write does not wait for it.
  await app.services.i18n.intentsReady();
  const choice = await chooseChannels(config, logger, {
    forceConsole: values.channel === 'console',
    json: values.json ?? false,
    menu: buildCommandMenu(app.services.dialogs, LocaleTexts.read()),
  });

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    choice.http?.setReady(false);
    await Promise.allSettled(choice.channels.map((channel) => channel.stop()));
    await choice.http?.close();
    await sweeper.stop();
    await app.close();
    await storage.close();
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
  else if (errorCode(error) === 'STORAGE_UNAVAILABLE') {
    const cause = (error as Error).cause;
    process.stderr.write(
      `start-up failed: ${(error as Error).message} (${errorCode(cause)}: ${(cause as Error)?.message})\n`,
    );
  } else process.stderr.write(`start-up failed: ${errorCode(error)}\n`);
  process.exit(1);
});

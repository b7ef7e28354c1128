import path from 'node:path';
import type { AppConfig } from './config/config';
import type { Channel } from './core/channel';
import type { Logger } from './logging/logger';
import type { HttpServer } from '../adapters/http/http-server';
import { createPlatformChannel } from '../adapters';
import type { CommandMenu } from './engine/command-menu';

export interface ChannelChoice {
  readonly channels: Channel[];
  /** Resolves when a channel ends by itself (the terminal channel at end of input). */
  readonly finished?: Promise<void>;
  readonly http?: HttpServer;
}

/**
 * A channel runs when its configuration turns it on (the table in adapters/index.ts); with none
 * on (or with --channel console) the terminal channel runs. SDKs are loaded only for channels in
 * use, so the terminal starts fast.
 */
export async function chooseChannels(
  config: AppConfig,
  logger: Logger,
  options: { forceConsole: boolean; json: boolean; menu: CommandMenu },
): Promise<ChannelChoice> {
  const platforms = config.channels.on;
  if (options.forceConsole || platforms.length === 0) {
    const { ConsoleChannel } = await import('../adapters/console/console-channel');
    const channel = new ConsoleChannel({
      mode: options.json || !process.stdin.isTTY ? 'json' : 'tty',
      input: process.stdin,
      output: process.stdout,
      logger,
      localeHint: process.env.LANG,
      downloadDir: path.join(config.dataDir, 'downloads'),
    });
    return { channels: [channel], finished: channel.finished };
  }

  const { HttpServer } = await import('../adapters/http/http-server');
  const http = new HttpServer(logger);
  const context = {
    logger,
    http,
    menu: options.menu,
    host: { appEnv: config.env, httpHost: config.http.host },
  };
  const channels: Channel[] = [];
  for (const name of platforms) {
    channels.push(await createPlatformChannel(name, config.channels.settings, context));
  }
  return { channels, http };
}

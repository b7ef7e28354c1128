import path from 'node:path';
import type { AppConfig } from './config/config';
import type { Channel } from './core/channel';
import type { Logger } from './logging/logger';
import type { HttpServer } from '../adapters/http/http-server';

export interface ChannelChoice {
  readonly channels: Channel[];
  /** Resolves when a channel ends by itself (the terminal channel at end of input). */
  readonly finished?: Promise<void>;
  readonly http?: HttpServer;
}

/**
 * A channel runs when its credentials are set; with none set (or with --channel console) the
 * terminal channel runs. SDKs are loaded only for channels in use, so the terminal starts fast.
 */
export async function chooseChannels(
  config: AppConfig,
  logger: Logger,
  options: { forceConsole: boolean; json: boolean },
): Promise<ChannelChoice> {
  const platforms = Boolean(config.telegram.token || config.discord.token || config.teams.enabled);
  if (options.forceConsole || !platforms) {
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
  const channels: Channel[] = [];
  if (config.telegram.token) {
    const { createTelegramChannel } = await import('../adapters/telegram/create');
    channels.push(createTelegramChannel(config, logger, http));
  }
  if (config.discord.token) {
    const { createDiscordChannel } = await import('../adapters/discord/create');
    channels.push(createDiscordChannel(config, logger));
  }
  if (config.teams.enabled) {
    const { createTeamsChannel } = await import('../adapters/teams/create');
    channels.push(createTeamsChannel(config, logger, http));
  }
  return { channels, http };
}

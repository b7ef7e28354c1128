import type { AppConfig } from '../../src/config/config';
import type { Channel } from '../../src/core/channel';
import { ConfigError } from '../../src/core/errors';
import type { Logger } from '../../src/logging/logger';
import { DiscordChannel } from './discord-channel';

/** The composition root's entry point (src/channels.ts loads this file only when Discord is configured). */
export function createDiscordChannel(config: AppConfig, logger: Logger): Channel {
  const { token, guildMessages, messageContent, apiRoot } = config.discord;
  if (!token) throw new ConfigError('DISCORD_TOKEN: required for the Discord channel');
  return new DiscordChannel({
    token,
    guildMessages,
    messageContent,
    logger: logger.child({ channel: 'discord' }),
    ...(apiRoot && { clientOptions: { rest: { api: apiRoot } } }),
  });
}

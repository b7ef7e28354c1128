import type { Channel } from '../../src/core/channel';
import { ConfigError } from '../../src/core/errors';
import type { Logger } from '../../src/logging/logger';
import { DiscordChannel } from './discord-channel';

/** The Discord section of the configuration (adapters/discord/definition.ts reads it). */
export interface DiscordSettings {
  readonly token: string | undefined;
  /** `npm run discord:register` needs it; the bot itself does not. */
  readonly applicationId: string | undefined;
  readonly guildId: string | undefined;
  readonly guildMessages: boolean;
  readonly messageContent: boolean;
  /** REST API base (`https://discord.com/api` unless set): a local double in tests. */
  readonly apiRoot: string | undefined;
}

/** The channel's factory (its definition loads this file only when DISCORD_TOKEN is set). */
export function createDiscordChannel(settings: DiscordSettings, logger: Logger): Channel {
  const { token, guildMessages, messageContent, apiRoot } = settings;
  if (!token) throw new ConfigError('DISCORD_TOKEN: required for the Discord channel');
  return new DiscordChannel({
    token,
    guildMessages,
    messageContent,
    logger: logger.child({ channel: 'discord' }),
    ...(apiRoot && { clientOptions: { rest: { api: apiRoot } } }),
  });
}

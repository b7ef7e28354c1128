/**
 * The channel table: each platform channel's configuration switch and factory. The composition
 * root (src/channels.ts) starts every channel whose configuration is set, the terminal when none
 * is. Adding a channel: a folder under adapters/ with a create.ts, a line here, its name in
 * src/core/channel-names.ts and its variables in src/config/schema.ts.
 */
import type { AppConfig } from '../src/config/config';
import type { Channel } from '../src/core/channel';
import type { CommandMenu } from '../src/engine/command-menu';
import type { Logger } from '../src/logging/logger';
import type { PlatformName } from '../src/core/channel-names';
import type { HttpServer } from './http/http-server';

/** What a channel factory gets from the composition root. */
export interface ChannelContext {
  readonly config: AppConfig;
  readonly logger: Logger;
  /** The one HTTP server webhooks share (Telegram's webhook, Teams' messaging endpoint). */
  readonly http: HttpServer;
  /** The app's command menu, for channels that publish one. */
  readonly menu: CommandMenu;
}

export interface PlatformChannel {
  /** Its configuration section turns it on (a token, a switch). */
  configured(config: AppConfig): boolean;
  /** Loads the channel's SDK only now, so the terminal starts without any. */
  create(context: ChannelContext): Promise<Channel>;
}

export const PLATFORM_CHANNELS: Readonly<Record<PlatformName, PlatformChannel>> = {
  telegram: {
    configured: (config) => Boolean(config.telegram.token),
    create: async ({ config, logger, http, menu }) =>
      (await import('./telegram/create')).createTelegramChannel(config, logger, http, menu),
  },
  discord: {
    configured: (config) => Boolean(config.discord.token),
    create: async ({ config, logger }) =>
      (await import('./discord/create')).createDiscordChannel(config, logger),
  },
  teams: {
    configured: (config) => config.teams.enabled,
    create: async ({ config, logger, http }) =>
      (await import('./teams/create')).createTeamsChannel(config, logger, http),
  },
};

/** The platform channels the configuration turns on, in table order. */
export function configuredPlatforms(config: AppConfig): PlatformName[] {
  return (Object.keys(PLATFORM_CHANNELS) as PlatformName[]).filter((name) =>
    PLATFORM_CHANNELS[name].configured(config),
  );
}

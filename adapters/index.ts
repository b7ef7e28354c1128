/**
 * The channel table: every platform channel by the name stored with its people's records. Each
 * entry is the channel's definition (adapters/<name>/definition.ts): its variables, settings,
 * switch, message limit and factory. The configuration (src/config/config.ts), the composition
 * root (src/channels.ts), the input guard and the operator CLI read this table, so adding a
 * channel is its folder and its entry here (an import and a name). Nothing here loads an SDK.
 */
import type { z } from 'zod';
import type { Channel } from '../src/core/channel';
import type { ChannelContext, ChannelDefinition } from './channel-definition';
import { discord } from './discord/definition';
import { teams } from './teams/definition';
import { telegram } from './telegram/definition';

export const PLATFORM_CHANNELS = { telegram, discord, teams };

export type PlatformName = keyof typeof PLATFORM_CHANNELS;

/** Each channel's section of the configuration, by name. */
export type ChannelSettings = {
  readonly [Name in PlatformName]: ReturnType<(typeof PLATFORM_CHANNELS)[Name]['settings']>;
};

/** The terminal: it runs when no platform channel is on (or with --channel console). */
export const CONSOLE_CHANNEL = 'console';

export const PLATFORM_NAMES = Object.keys(PLATFORM_CHANNELS) as PlatformName[];

/** Every channel name a person's records can carry. */
export const CHANNEL_NAMES: readonly string[] = [CONSOLE_CHANNEL, ...PLATFORM_NAMES];

/** The table's entries without their own types, for code that handles every channel alike. */
export function platformChannel(name: PlatformName): ChannelDefinition<z.ZodRawShape, unknown> {
  return PLATFORM_CHANNELS[name];
}

/** Starts the named channel from its settings in the configuration. */
export function createPlatformChannel(
  name: PlatformName,
  settings: ChannelSettings,
  context: ChannelContext,
): Promise<Channel> {
  return platformChannel(name).create(settings[name], context);
}

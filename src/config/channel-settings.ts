import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { problemsOf } from './env-values';
import { PLATFORM_NAMES, platformChannel, type ChannelSettings, type PlatformName } from '../../adapters';
import type { HostSettings } from '../../adapters/channel-definition';

/** The channels' part of the configuration, read through the channel table (adapters/index.ts). */
export interface ChannelsConfig {
  /** Each platform channel's section, by name, whether it is on or not. */
  readonly settings: ChannelSettings;
  /** The platform channels the configuration turns on, in table order; none runs the terminal. */
  readonly on: readonly PlatformName[];
  /** The longest message each platform delivers, by channel name (the input guard allows it). */
  readonly maxMessageChars: Readonly<Record<string, number>>;
}

/** The environment variable names every channel reads, in table order. */
export function channelVariableNames(): string[] {
  return PLATFORM_NAMES.flatMap((name) => Object.keys(platformChannel(name).variables));
}

/**
 * Validates each channel's variables and builds its settings. Every problem comes back as text,
 * to be reported with everyone else's: a value that is not valid, and values a channel refuses
 * together (its ConfigError). Without `host` (APP_ENV or HTTP_HOST is not valid, a problem
 * reported with the rest) only the values are checked.
 */
export function readChannels(
  source: NodeJS.ProcessEnv,
  host: HostSettings | undefined,
): { channels?: ChannelsConfig; problems: string[] } {
  const problems: string[] = [];
  const settings: Record<string, unknown> = {};
  for (const name of PLATFORM_NAMES) {
    const definition = platformChannel(name);
    const parsed = z.object(definition.variables).safeParse(source);
    if (!parsed.success) {
      problems.push(...problemsOf(parsed.error));
      continue;
    }
    if (!host) continue;
    try {
      settings[name] = definition.settings(parsed.data, host);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0 || !host) return { problems };
  return {
    problems,
    channels: {
      settings: settings as unknown as ChannelSettings,
      on: PLATFORM_NAMES.filter((name) => platformChannel(name).isOn(settings[name])),
      maxMessageChars: Object.fromEntries(
        PLATFORM_NAMES.map((name) => [name, platformChannel(name).maxMessageChars]),
      ),
    },
  };
}

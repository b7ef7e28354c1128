/**
 * Every channel, by the name stored with its people's records: the one list a new channel is
 * added to. What each one needs (its factory, which SDK it loads, when its configuration turns it
 * on) is in the channel table, adapters/index.ts; src/ sees only these names, so it never loads a
 * channel SDK by itself.
 */
export const CHANNEL_NAMES = ['console', 'telegram', 'discord', 'teams'] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The channels that talk to a platform; the terminal is the one that runs when none is configured. */
export type PlatformName = Exclude<ChannelName, 'console'>;

export function isChannelName(value: string): value is ChannelName {
  return (CHANNEL_NAMES as readonly string[]).includes(value);
}

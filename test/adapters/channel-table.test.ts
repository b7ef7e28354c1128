import { PLATFORM_CHANNELS, configuredPlatforms } from '../../adapters';
import { userRefOf } from '../../src/cli/privacy/command-line';
import { CHANNEL_NAMES } from '../../src/core/channel-names';
import { loadConfig } from '../../src/config/config';

/** One table names the channels; the composition root and the operator CLI read it. */
describe('the channel table', () => {
  it('has a factory for every channel name but the terminal, which runs when none is configured', () => {
    expect(Object.keys(PLATFORM_CHANNELS).sort()).toEqual(
      CHANNEL_NAMES.filter((name) => name !== 'console').sort(),
    );
    expect(configuredPlatforms(loadConfig({}))).toEqual([]);
  });

  it('turns a channel on from its configuration section', () => {
    expect(configuredPlatforms(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }))).toEqual(['telegram']);
    expect(
      configuredPlatforms(loadConfig({ DISCORD_TOKEN: 'token', TELEGRAM_BOT_TOKEN: '123:abc' })),
    ).toEqual(['telegram', 'discord']);
  });

  it('gives the operator CLI its channel names', () => {
    for (const name of CHANNEL_NAMES)
      expect(userRefOf(`${name}:42`)).toEqual({ channel: name, userId: '42' });
    expect(userRefOf('irc:42')).toBeUndefined();
  });
});

import { CHANNEL_NAMES, PLATFORM_CHANNELS, PLATFORM_NAMES } from '../../adapters';
import { userRefOf } from '../../src/cli/privacy/command-line';
import { USAGE } from '../../src/cli/privacy';
import { loadConfig } from '../../src/config/config';
import { channelVariableNames } from '../../src/config/channel-settings';
import { envSchema } from '../../src/config/schema';

/** One table names the channels; the configuration, the composition root and the operator CLI read it. */
describe('the channel table', () => {
  it('turns no platform channel on without configuration, so the terminal runs', () => {
    expect(loadConfig({}).channels.on).toEqual([]);
  });

  it('turns a channel on from its own variables, in table order', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }).channels.on).toEqual(['telegram']);
    expect(loadConfig({ DISCORD_TOKEN: 'token', TELEGRAM_BOT_TOKEN: '123:abc' }).channels.on).toEqual([
      'telegram',
      'discord',
    ]);
    expect(loadConfig({ TEAMS_ENABLED: 'true', HTTP_HOST: '127.0.0.1' }).channels.on).toEqual(['teams']);
  });

  it("validates each channel's variables with the rest, and lists every problem at once", () => {
    const attempt = () =>
      loadConfig({ TELEGRAM_WEBHOOK_URL: 'not a url', DISCORD_GUILD_MESSAGES: 'maybe', HTTP_PORT: '-1' });
    expect(attempt).toThrow(/TELEGRAM_WEBHOOK_URL/);
    expect(attempt).toThrow(/DISCORD_GUILD_MESSAGES/);
    expect(attempt).toThrow(/HTTP_PORT/);
  });

  it("runs a channel's own checks of values that cannot work together, listed with the rest", () => {
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram' })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET: required/,
    );
    const attempt = () =>
      loadConfig({
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
        TEAMS_ENABLED: 'true',
        HTTP_HOST: '0.0.0.0',
        HTTP_PORT: 'port',
      });
    expect(attempt).toThrow(/TELEGRAM_WEBHOOK_SECRET: required/);
    expect(attempt).toThrow(/MICROSOFT_APP_ID: required when TEAMS_ENABLED=true/);
    expect(attempt).toThrow(/HTTP_PORT/);
  });

  it('gives each variable to exactly one owner, the core schema or one channel', () => {
    const names = [...Object.keys(envSchema.shape), ...channelVariableNames()];
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    for (const name of PLATFORM_NAMES)
      expect(Object.keys(PLATFORM_CHANNELS[name].variables).length).toBeGreaterThan(0);
  });

  it("hands the input guard each platform's message limit", () => {
    const { maxMessageChars } = loadConfig({}).channels;
    expect(Object.keys(maxMessageChars)).toEqual(PLATFORM_NAMES);
    for (const name of PLATFORM_NAMES)
      expect(maxMessageChars[name]).toBe(PLATFORM_CHANNELS[name].maxMessageChars);
    expect(maxMessageChars.console).toBeUndefined();
  });

  it('gives the operator CLI its channel names, the terminal and every platform', () => {
    expect(CHANNEL_NAMES).toEqual(['console', ...PLATFORM_NAMES]);
    for (const name of CHANNEL_NAMES) {
      expect(userRefOf(`${name}:42`)).toEqual({ channel: name, userId: '42' });
      expect(USAGE).toContain(name);
    }
    expect(userRefOf('irc:42')).toBeUndefined();
  });
});

import { bool, optionalString, optionalUrl } from '../../src/config/env-values';
import type { DiscordSettings } from './create';
import { defineChannel } from '../channel-definition';

/** Discord: on when DISCORD_TOKEN is set; direct messages always, guild messages when asked. */
export const discord = defineChannel({
  variables: {
    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: optionalString,
    DISCORD_GUILD_ID: optionalString,
    DISCORD_GUILD_MESSAGES: bool.default(false),
    DISCORD_MESSAGE_CONTENT: bool.default(false),
    DISCORD_API_ROOT: optionalUrl,
  },
  settings: (values): DiscordSettings => ({
    token: values.DISCORD_TOKEN,
    applicationId: values.DISCORD_APPLICATION_ID,
    guildId: values.DISCORD_GUILD_ID,
    guildMessages: values.DISCORD_GUILD_MESSAGES,
    messageContent: values.DISCORD_MESSAGE_CONTENT,
    apiRoot: values.DISCORD_API_ROOT,
  }),
  isOn: (settings) => Boolean(settings.token),
  // 2000 characters, https://discord.com/developers/docs/resources/message#create-message
  // (content); 4000 for people with Nitro ("longer messages"), https://discord.com/nitro.
  maxMessageChars: 4000,
  create: async (settings, { logger }) => (await import('./create')).createDiscordChannel(settings, logger),
});

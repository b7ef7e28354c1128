import { GatewayIntentBits, IntentsBitField, Partials } from 'discord.js';
import { DiscordChannel } from '../../../adapters/discord/discord-channel';
import { gatewayIntents } from '../../../adapters/discord/gateway-options';
import { createLogger } from '../../../src/logging/logger';

const logger = createLogger('silent');

function clientIntents(guildMessages: boolean, messageContent: boolean): IntentsBitField {
  const channel = new DiscordChannel({ token: 'unused', guildMessages, messageContent, logger });
  return new IntentsBitField(channel.client.options.intents);
}

describe('Discord gateway intents', () => {
  it('asks only for Guilds and DirectMessages by default', () => {
    const intents = clientIntents(false, false);
    expect(intents.bitfield).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.DirectMessages);
    expect(intents.has(GatewayIntentBits.MessageContent)).toBe(false);
    expect(intents.has(GatewayIntentBits.GuildMessages)).toBe(false);
  });

  it('adds GuildMessages, but not MessageContent, when guild messages are switched on', () => {
    const intents = clientIntents(true, false);
    expect(intents.has(GatewayIntentBits.GuildMessages)).toBe(true);
    expect(intents.has(GatewayIntentBits.MessageContent)).toBe(false);
  });

  it('adds the privileged MessageContent intent only when both switches are on', () => {
    expect(
      gatewayIntents({ guildMessages: false, messageContent: true }).has(GatewayIntentBits.MessageContent),
    ).toBe(false);
    expect(clientIntents(true, true).bitfield).toBe(
      GatewayIntentBits.Guilds |
        GatewayIntentBits.DirectMessages |
        GatewayIntentBits.GuildMessages |
        GatewayIntentBits.MessageContent,
    );
  });

  it('never asks for members, presences or other intents it does not use', () => {
    const intents = clientIntents(true, true);
    for (const unused of [
      GatewayIntentBits.GuildMembers,
      GatewayIntentBits.GuildPresences,
      GatewayIntentBits.GuildMessageReactions,
      GatewayIntentBits.DirectMessageReactions,
      GatewayIntentBits.GuildVoiceStates,
    ]) {
      expect(intents.has(unused)).toBe(false);
    }
  });

  it('enables the Channel partial so that DMs reach the bot', () => {
    const channel = new DiscordChannel({
      token: 'unused',
      guildMessages: false,
      messageContent: false,
      logger,
    });
    expect(channel.client.options.partials).toContain(Partials.Channel);
  });
});

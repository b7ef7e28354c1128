import { GatewayIntentBits, IntentsBitField, Partials } from 'discord.js';

export interface GatewayFeatures {
  /** Receive messages posted in guild channels (the bot still only answers those addressed to it). */
  readonly guildMessages: boolean;
  /** Ask for the privileged Message Content intent. */
  readonly messageContent: boolean;
}

/**
 * The smallest set of gateway intents the adapter needs: every intent is data Discord sends us,
 * and a privacy-first bot asks for no more than it uses (GDPR Art. 5(1)(c), 25).
 *
 * - Guilds: required for the guild and channel cache that guild interactions and joins rely on.
 * - DirectMessages: the one-to-one chat, where most privacy conversations happen.
 * - GuildMessages: only when the operator opts in; slash commands work without it.
 * - MessageContent: privileged, and only meaningful for guild messages. DMs and messages that
 *   mention the bot carry their content without it, so it is added only when both switches are on.
 */
export function gatewayIntents(features: GatewayFeatures): IntentsBitField {
  const intents = new IntentsBitField([GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages]);
  if (features.guildMessages) intents.add(GatewayIntentBits.GuildMessages);
  if (features.guildMessages && features.messageContent) intents.add(GatewayIntentBits.MessageContent);
  return intents;
}

/**
 * DM channels are not announced by the gateway before their first message; without the Channel
 * partial discord.js drops DM messages because the channel is not cached.
 */
export const GATEWAY_PARTIALS: readonly Partials[] = [Partials.Channel];

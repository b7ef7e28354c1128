/**
 * Discord updates → neutral IncomingMessage. Each function describes the discord.js object by the
 * few fields it reads (discord.js's Message, ChatInputCommandInteraction, ButtonInteraction and
 * Guild satisfy them), so mapping rules can be read, and tested, without the library's classes.
 */
import { InteractionContextType, MessageType } from 'discord.js';
import type { IncomingMessage } from '../../src/core/messages';

export interface MessageFields {
  readonly type: MessageType;
  readonly content: string;
  readonly channelId: string;
  readonly guildId: string | null;
  readonly createdAt: Date;
  readonly system: boolean;
  readonly webhookId: string | null;
  readonly author: { readonly id: string; readonly bot: boolean };
  readonly mentions: {
    readonly users: { has(id: string): boolean };
    readonly repliedUser: { readonly id: string } | null;
  };
}

export interface MessageRouting {
  readonly botUserId: string;
  readonly guildMessages: boolean;
}

/**
 * A person's message, or undefined when the bot should not see it.
 *
 * Guild messages reach the engine only when DISCORD_GUILD_MESSAGES is on AND the message is
 * addressed to the bot (an @mention, or a reply to one of its messages). The switch decides
 * whether the gateway sends guild messages at all; the addressing rule keeps the bot from
 * processing conversations between other people (data minimisation), even when the operator has
 * also granted the Message Content intent. Slash commands work in guilds either way.
 */
export function fromMessage(message: MessageFields, routing: MessageRouting): IncomingMessage | undefined {
  // Other bots, webhooks, system notices and the bot's own messages are never a person speaking.
  if (message.author.bot || message.webhookId !== null || message.system) return undefined;
  if (message.author.id === routing.botUserId) return undefined;
  if (message.type !== MessageType.Default && message.type !== MessageType.Reply) return undefined;

  // Bots cannot join group DMs, so a message outside a guild is a DM with the bot.
  const isPrivateChat = message.guildId === null;
  if (!isPrivateChat && !(routing.guildMessages && addressesBot(message, routing.botUserId)))
    return undefined;

  // Without the Message Content intent, unaddressed guild messages arrive with empty content.
  const text = withoutBotMention(message.content, routing.botUserId);
  if (text === '') return undefined;

  return {
    channel: 'discord',
    conversationKey: message.channelId,
    userKey: message.author.id,
    text,
    // No localeHint: messages carry no user locale, and a guild's preferred locale is the
    // server's setting, not the person's language.
    isPrivateChat,
    receivedAt: message.createdAt,
    raw: message,
  };
}

function addressesBot(message: MessageFields, botUserId: string): boolean {
  return message.mentions.users.has(botUserId) || message.mentions.repliedUser?.id === botUserId;
}

function withoutBotMention(content: string, botUserId: string): string {
  return content.replace(new RegExp(`<@!?${botUserId}>`, 'g'), '').trim();
}

export interface InteractionFields {
  readonly channelId: string | null;
  readonly guildId: string | null;
  readonly context: InteractionContextType | null;
  /** The person's client language, e.g. `de` or `es-ES`. */
  readonly locale: string;
  readonly user: { readonly id: string };
  readonly createdAt: Date;
}

export interface CommandFields extends InteractionFields {
  readonly commandName: string;
  readonly options: { readonly data: readonly { readonly value?: string | number | boolean }[] };
}

/**
 * A one-to-one chat with the bot. `context` is authoritative where Discord sends it; a
 * user-installed command in a group DM has no guild id but is not private.
 */
export function isBotDm(interaction: InteractionFields): boolean {
  if (interaction.context !== null) return interaction.context === InteractionContextType.BotDM;
  return interaction.guildId === null;
}

/** `/language` with option `de` becomes the text `/language de`, as typed on other channels. */
export function fromCommand(interaction: CommandFields): IncomingMessage | undefined {
  const values = interaction.options.data.flatMap((option) =>
    option.value === undefined ? [] : [String(option.value)],
  );
  return fromInteraction(interaction, { text: [`/${interaction.commandName}`, ...values].join(' ') });
}

/** A pressed button; `actionId` is the engine's `Action.id`, already decoded from the custom_id. */
export function fromButton(interaction: InteractionFields, actionId: string): IncomingMessage | undefined {
  return fromInteraction(interaction, { action: actionId });
}

function fromInteraction(
  interaction: InteractionFields,
  content: { text: string } | { action: string },
): IncomingMessage | undefined {
  if (interaction.channelId === null) return undefined;
  return {
    channel: 'discord',
    conversationKey: interaction.channelId,
    userKey: interaction.user.id,
    ...content,
    localeHint: interaction.locale,
    isPrivateChat: isBotDm(interaction),
    receivedAt: interaction.createdAt,
    raw: interaction,
  };
}

export interface GuildFields {
  readonly id: string;
  readonly systemChannelId: string | null;
  readonly preferredLocale: string;
  readonly joinedAt: Date;
}

/**
 * The bot was added to a guild: the engine may introduce itself (and its privacy notice) in the
 * guild's system channel. No person speaks here, so the guild stands in as the speaker; the
 * guild's preferred locale is the right hint for a notice addressed to the whole server.
 */
export function fromGuildJoin(guild: GuildFields): IncomingMessage | undefined {
  if (guild.systemChannelId === null) return undefined;
  return {
    channel: 'discord',
    conversationKey: guild.systemChannelId,
    userKey: `guild:${guild.id}`,
    event: 'conversation-started',
    localeHint: guild.preferredLocale,
    isPrivateChat: false,
    receivedAt: guild.joinedAt,
  };
}

/**
 * Gateway payloads as Discord sends them (typed with discord-api-types, which discord.js
 * re-exports), so the tests exercise the same parsing as production.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
} from 'discord.js';
import type {
  APIChatInputApplicationCommandInteraction,
  APIInteractionGuildMember,
  APIMessageComponentButtonInteraction,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  GuildMemberFlags,
  Permissions,
} from 'discord.js';
import { APPLICATION_ID, BOT_USER_ID, plainMessageFields, snowflake } from '../../support/discord-api-double';

export const PERSON_ID = '300000000000000001';
export const OTHER_BOT_ID = '300000000000000009';
export const DM_CHANNEL_ID = '400000000000000001';
export const GUILD_ID = '500000000000000001';
export const GUILD_CHANNEL_ID = '500000000000000002';
export const SYSTEM_CHANNEL_ID = '500000000000000003';

const ALL_PERMISSIONS: Permissions = '2251799813685247';

export function user(id: string, bot = false): APIUser {
  return {
    id,
    username: `user${id.slice(-4)}`,
    discriminator: '0',
    global_name: null,
    avatar: null,
    ...(bot ? { bot } : {}),
  };
}

export const BOT_USER = user(BOT_USER_ID, true);

function baseMessage(channelId: string, author: APIUser, content: string): GatewayMessageCreateDispatchData {
  return {
    id: snowflake(),
    channel_id: channelId,
    author,
    content,
    ...plainMessageFields(),
    timestamp: new Date().toISOString(),
    type: MessageType.Default,
  };
}

/** A DM: no guild_id; Discord adds channel_type for DMs. */
export function dmMessage(
  content: string,
  author: APIUser = user(PERSON_ID),
): GatewayMessageCreateDispatchData {
  return { ...baseMessage(DM_CHANNEL_ID, author, content), channel_type: ChannelType.DM };
}

export function guildMessage(
  content: string,
  options: { author?: APIUser; mentionsBot?: boolean; type?: MessageType } = {},
): GatewayMessageCreateDispatchData {
  const author = options.author ?? user(PERSON_ID);
  return {
    ...baseMessage(GUILD_CHANNEL_ID, author, content),
    guild_id: GUILD_ID,
    channel_type: ChannelType.GuildText,
    member: {
      roles: [],
      joined_at: '2024-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
    },
    mentions: options.mentionsBot ? [BOT_USER] : [],
    type: options.type ?? MessageType.Default,
  };
}

/**
 * The guild as GUILD_CREATE delivers it, trimmed to what discord.js reads. The full APIGuild type
 * lists dozens of fields (emojis, stickers, features, ...) that play no part here.
 */
export function guildCreate(
  options: { systemChannelId?: string | null } = {},
): GatewayGuildCreateDispatchData {
  const systemChannelId = options.systemChannelId === undefined ? SYSTEM_CHANNEL_ID : options.systemChannelId;
  const textChannel = (id: string, name: string) => ({
    id,
    type: ChannelType.GuildText,
    guild_id: GUILD_ID,
    name,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    topic: null,
  });
  return {
    id: GUILD_ID,
    name: 'Test guild',
    icon: null,
    owner_id: OTHER_BOT_ID,
    preferred_locale: Locale.French,
    system_channel_id: systemChannelId,
    joined_at: new Date().toISOString(),
    unavailable: false,
    member_count: 2,
    roles: [],
    emojis: [],
    stickers: [],
    features: [],
    members: [],
    presences: [],
    voice_states: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    channels: [textChannel(GUILD_CHANNEL_ID, 'general'), textChannel(SYSTEM_CHANNEL_ID, 'welcome')],
  } as unknown as GatewayGuildCreateDispatchData;
}

function member(person: APIUser): APIInteractionGuildMember {
  return {
    user: person,
    roles: [],
    joined_at: '2024-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    permissions: ALL_PERMISSIONS,
  };
}

interface Where {
  /** Guild interaction (member, guild_id) or DM interaction (user). */
  readonly inGuild: boolean;
  readonly locale?: Locale;
}

function interactionBase(where: Where) {
  const person = user(PERSON_ID);
  const place = where.inGuild
    ? {
        guild_id: GUILD_ID,
        guild: { id: GUILD_ID, locale: Locale.French, features: [] },
        guild_locale: Locale.French,
        member: member(person),
        channel_id: GUILD_CHANNEL_ID,
        channel: { id: GUILD_CHANNEL_ID, type: ChannelType.GuildText, guild_id: GUILD_ID, name: 'general' },
        context: InteractionContextType.Guild,
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: GUILD_ID },
      }
    : {
        user: person,
        channel_id: DM_CHANNEL_ID,
        channel: { id: DM_CHANNEL_ID, type: ChannelType.DM, recipients: [person] },
        context: InteractionContextType.BotDM,
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
      };
  return {
    id: snowflake(),
    application_id: APPLICATION_ID,
    token: `interaction-token-${snowflake()}`,
    version: 1 as const,
    locale: where.locale ?? Locale.EnglishUS,
    app_permissions: ALL_PERMISSIONS,
    entitlements: [],
    attachment_size_limit: 10_485_760,
    ...place,
  };
}

export function slashCommand(
  name: string,
  where: Where,
  options: { name: string; value: string }[] = [],
): APIChatInputApplicationCommandInteraction {
  return {
    ...interactionBase(where),
    type: InteractionType.ApplicationCommand,
    data: {
      id: snowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      ...(options.length > 0
        ? { options: options.map((o) => ({ ...o, type: ApplicationCommandOptionType.String as const })) }
        : {}),
    },
  } as APIChatInputApplicationCommandInteraction;
}

export function buttonPress(customId: string, where: Where): APIMessageComponentButtonInteraction {
  const base = interactionBase(where);
  return {
    ...base,
    type: InteractionType.MessageComponent,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message: {
      ...baseMessage(base.channel_id, BOT_USER, 'Pick one'),
      ...(where.inGuild ? { flags: 64 } : {}),
    },
  } as APIMessageComponentButtonInteraction;
}

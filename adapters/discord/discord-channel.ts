import { setTimeout as delay } from 'node:timers/promises';
import { Client, Events, MessageFlags, Options } from 'discord.js';
import type { ButtonInteraction, ClientOptions, Guild, Interaction, Message } from 'discord.js';
import type { Channel, TurnHandler } from '../../src/core/channel';
import type { IncomingMessage } from '../../src/core/messages';
import type { Logger } from '../../src/logging/logger';
import { ButtonIdCodec, DISCORD_CUSTOM_ID_MAX_CHARS, STALE_BUTTON_ACTION } from '../button-ids';
import { deliverToChannel, deliverToInteraction, type DeliveryContext } from './delivery';
import { GATEWAY_PARTIALS, gatewayIntents } from './gateway-options';
import { fromButton, fromCommand, fromGuildJoin, fromMessage } from './mapping';

export interface DiscordChannelOptions {
  readonly token: string;
  /** DISCORD_GUILD_MESSAGES: receive guild messages (answered only when addressed to the bot). */
  readonly guildMessages: boolean;
  /** DISCORD_MESSAGE_CONTENT: request the privileged Message Content intent. */
  readonly messageContent: boolean;
  readonly logger: Logger;
  /** Extra discord.js options; tests point `rest.api` at a loopback double. Intents are not overridable. */
  readonly clientOptions?: Partial<Omit<ClientOptions, 'intents' | 'partials'>>;
  /** How to reach the gateway. Defaults to `client.login(token)`; tests replay READY instead. */
  readonly connect?: (client: Client) => Promise<unknown>;
}

/** How long stop() waits for turns in flight to send their replies before closing the client. */
const DRAIN_LIMIT_MS = 10_000;

/**
 * The Discord channel: gateway events in, neutral messages to the engine, native replies out.
 * Mapping, rendering and delivery live in their own files; this class only wires them to the
 * discord.js client and keeps every turn's errors inside the turn.
 */
export class DiscordChannel implements Channel {
  readonly name = 'discord';
  readonly client: Client;
  private readonly delivery: DeliveryContext;
  private readonly turns = new Set<Promise<void>>();
  private started = false;

  constructor(private readonly options: DiscordChannelOptions) {
    this.client = new Client({
      // The bot quotes what people write; it must never turn that into @everyone or role pings.
      allowedMentions: { parse: [], repliedUser: false },
      // Messages (and so their text) are not kept in memory after the turn that read them.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      ...options.clientOptions,
      intents: gatewayIntents(options),
      partials: [...GATEWAY_PARTIALS],
    });
    this.delivery = { buttonIds: new ButtonIdCodec(DISCORD_CUSTOM_ID_MAX_CHARS), logger: options.logger };
  }

  async start(handler: TurnHandler): Promise<void> {
    // Listeners are added per start; a second start would answer every update twice.
    if (this.started) throw new Error('DiscordChannel already started');
    this.started = true;
    const { client, options } = this;
    client.on(Events.MessageCreate, (message) => this.track(this.onMessage(message, handler)));
    client.on(Events.InteractionCreate, (interaction) =>
      this.track(this.onInteraction(interaction, handler)),
    );
    // discord.js emits GuildCreate only after READY, i.e. for a guild the bot has just joined.
    client.on(Events.GuildCreate, (guild) => this.track(this.onGuildJoin(guild, handler)));
    // Without an 'error' listener an EventEmitter error would crash the process.
    client.on(Events.Error, (error) => options.logger.error({ err: error }, 'discord client error'));
    client.once(Events.ClientReady, (ready) =>
      options.logger.info({ applicationId: ready.application.id }, 'discord gateway ready'),
    );
    await (options.connect ?? ((c: Client) => c.login(options.token)))(client);
  }

  /** Let turns in flight finish their replies (bounded), then close the gateway and REST client. */
  async stop(): Promise<void> {
    await Promise.race([this.idle(), delay(DRAIN_LIMIT_MS, undefined, { ref: false })]);
    this.client.removeAllListeners();
    await this.client.destroy();
  }

  /** Resolves when every turn started so far has finished (graceful shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.turns]);
  }

  private track(turn: Promise<void>): void {
    this.turns.add(turn);
    void turn.finally(() => this.turns.delete(turn));
  }

  private async onMessage(message: Message, handler: TurnHandler): Promise<void> {
    const botUserId = this.client.user?.id;
    if (!botUserId) return;
    try {
      const incoming = fromMessage(message, { botUserId, guildMessages: this.options.guildMessages });
      if (!incoming || !message.channel.isSendable()) return;
      const replies = await handler(incoming);
      const target = {
        channel: message.channel,
        speaker: message.author,
        isPrivateChat: incoming.isPrivateChat,
      };
      await deliverToChannel(replies, target, this.delivery);
    } catch (error) {
      this.options.logger.error({ err: error, messageId: message.id }, 'discord message turn failed');
    }
  }

  private async onInteraction(interaction: Interaction, handler: TurnHandler): Promise<void> {
    // Autocomplete, select menus, modals and context menus: the bot offers none of them.
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    try {
      const incoming = interaction.isButton()
        ? fromButton(interaction, this.actionOf(interaction))
        : fromCommand(interaction);
      if (!incoming) return;
      const stale = incoming.action === STALE_BUTTON_ACTION;

      // Discord wants an answer within 3 s, and a turn may wait for the database and the KMS, so
      // acknowledge first. The placeholder's visibility cannot change later: in a shared channel
      // it is ephemeral, because every command of this bot is about the person's own data; so is
      // the "button no longer works" note, which concerns only the presser.
      // The turn runs only after the acknowledgement succeeded, so a press that Discord reports
      // as failed has not changed anything either.
      const ephemeral = !incoming.isPrivateChat || stale;
      await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      const replies = await this.runTurn(handler, incoming, interaction.id);
      if (!replies) {
        await interaction.deleteReply();
        return;
      }
      await deliverToInteraction(replies, interaction, ephemeral, this.delivery);
    } catch (error) {
      this.options.logger.error({ err: error, interactionId: interaction.id }, 'discord interaction failed');
    }
  }

  /**
   * The action behind a button. A token from before a restart, or a forged one (see
   * ButtonIdCodec), still becomes a turn: a silent acknowledgement would leave the person
   * pressing a button that does nothing.
   */
  private actionOf(interaction: ButtonInteraction): string {
    const actionId = this.delivery.buttonIds.decode(interaction.customId);
    if (actionId === STALE_BUTTON_ACTION)
      this.options.logger.warn({ code: 'BUTTON_EXPIRED', interactionId: interaction.id }, 'stale button');
    return actionId;
  }

  private async onGuildJoin(guild: Guild, handler: TurnHandler): Promise<void> {
    try {
      const incoming = fromGuildJoin(guild);
      const channel = guild.systemChannel;
      if (!incoming || !channel) return;
      const replies = await handler(incoming);
      // No speaker: a reply meant for one person has nobody to go to and is dropped.
      await deliverToChannel(replies, { channel, isPrivateChat: false }, this.delivery);
    } catch (error) {
      this.options.logger.error({ err: error, guildId: guild.id }, 'discord guild join turn failed');
    }
  }

  private async runTurn(handler: TurnHandler, incoming: IncomingMessage, interactionId: string) {
    try {
      return await handler(incoming);
    } catch (error) {
      this.options.logger.error({ err: error, interactionId }, 'discord turn failed');
      return undefined;
    }
  }
}

/**
 * One DiscordChannel wired to the loopback REST double, a gateway stand-in and a recording turn
 * handler: tests dispatch gateway events, wait for the channel to go idle, then read what reached
 * the engine and what was sent to Discord.
 */
import type { Client, GatewayGuildCreateDispatchData } from 'discord.js';
import { DiscordChannel } from '../../../adapters/discord/discord-channel';
import type { IncomingMessage, OutgoingMessage } from '../../../src/core/messages';
import { createLogger } from '../../../src/logging/logger';
import { connectWithoutGateway, dispatch, DiscordApiDouble } from '../../support/discord-api-double';

export interface Harness {
  readonly api: DiscordApiDouble;
  readonly channel: DiscordChannel;
  /** What reached the engine, in order. */
  readonly turns: IncomingMessage[];
  /** Raw log lines the channel wrote. */
  readonly logLines: string[];
  /** Dispatch one gateway event and wait until the turn it started has sent its replies. */
  send(event: string, data: unknown): Promise<void>;
  stop(): Promise<void>;
}

export type ScriptedReplies =
  | readonly OutgoingMessage[]
  | ((message: IncomingMessage) => readonly OutgoingMessage[] | Promise<readonly OutgoingMessage[]>);

export async function startHarness(
  options: {
    guildMessages?: boolean;
    messageContent?: boolean;
    replies?: ScriptedReplies;
    /** Guilds the bot is already in when it connects. */
    guilds?: readonly GatewayGuildCreateDispatchData[];
  } = {},
): Promise<Harness> {
  const api = new DiscordApiDouble();
  await api.start();
  const logLines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logLines.push(line) });
  const channel = new DiscordChannel({
    token: 'not-used-in-tests',
    guildMessages: options.guildMessages ?? false,
    messageContent: options.messageContent ?? false,
    logger,
    // No retries: a refused request should surface at once, not after back-off.
    clientOptions: { rest: { api: api.apiUrl, retries: 0, timeout: 5000 } },
    connect: (client: Client) => connectWithoutGateway(client, options.guilds),
  });
  const turns: IncomingMessage[] = [];
  const replies = options.replies ?? [];
  await channel.start(async (message) => {
    turns.push(message);
    return typeof replies === 'function' ? replies(message) : replies;
  });

  return {
    api,
    channel,
    turns,
    logLines,
    async send(event, data) {
      dispatch(channel.client, event, data);
      await channel.idle();
    },
    async stop() {
      await channel.stop();
      await api.stop();
    },
  };
}

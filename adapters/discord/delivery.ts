/**
 * Neutral replies → Discord sends. Targets are described by the methods used (discord.js text
 * channels, users and interactions satisfy them). A failed send is logged with its error code
 * and the remaining replies still go out: one refused message must not swallow the rest.
 */
import { MessageFlags } from 'discord.js';
import type { OutgoingMessage } from '../../src/core/messages';
import type { Logger } from '../../src/logging/logger';
import type { ButtonIdCodec } from '../button-ids';
import { renderTextReply, type DiscordPayload } from './rendering';

export interface DeliveryContext {
  readonly buttonIds: ButtonIdCodec;
  readonly logger: Logger;
}

export interface ChannelTarget {
  readonly channel: {
    send(payload: DiscordPayload): Promise<unknown>;
    sendTyping(): Promise<void>;
  };
  /** Where replies marked `privateToSpeaker` go when the conversation is shared: the person's DMs. */
  readonly speaker?: { send(payload: DiscordPayload): Promise<unknown> };
  readonly isPrivateChat: boolean;
}

/** Replies to a message (or a guild join): posted in the channel, private ones by DM. */
export async function deliverToChannel(
  replies: readonly OutgoingMessage[],
  target: ChannelTarget,
  context: DeliveryContext,
): Promise<void> {
  for (const reply of replies) {
    if (reply.kind === 'typing') {
      await attempt(() => target.channel.sendTyping(), 'typing', context.logger);
      continue;
    }
    // Plain messages cannot be ephemeral. A private reply to a guild message goes to the
    // person's DMs; with no way to reach them privately it is dropped, never posted publicly.
    const toSpeaker = reply.privateToSpeaker === true && !target.isPrivateChat;
    const destination = toSpeaker ? target.speaker : target.channel;
    if (!destination) {
      context.logger.warn({ code: 'DISCORD_NO_PRIVATE_ROUTE' }, 'discord private reply dropped');
      continue;
    }
    for (const payload of renderTextReply(reply, context.buttonIds)) {
      await attempt(
        () => destination.send(payload),
        toSpeaker ? 'direct-message' : 'channel-message',
        context.logger,
      );
    }
  }
}

export interface InteractionTarget {
  editReply(payload: DiscordPayload): Promise<unknown>;
  followUp(payload: DiscordPayload & { flags?: MessageFlags.Ephemeral }): Promise<unknown>;
  deleteReply(): Promise<void>;
}

/**
 * Replies to a deferred interaction: the first message replaces the "thinking…" placeholder, the
 * others are follow-ups. The placeholder's visibility was fixed when it was deferred; follow-ups
 * are ephemeral in shared conversations and whenever the engine marks them `privateToSpeaker`.
 * A typing indicator is skipped: the placeholder already shows that the bot is working.
 */
export async function deliverToInteraction(
  replies: readonly OutgoingMessage[],
  interaction: InteractionTarget,
  sharedConversation: boolean,
  context: DeliveryContext,
): Promise<void> {
  const messages = replies.flatMap((reply) =>
    reply.kind === 'text'
      ? renderTextReply(reply, context.buttonIds).map((payload) => ({
          payload,
          ephemeral: sharedConversation || reply.privateToSpeaker === true,
        }))
      : [],
  );
  const [first, ...rest] = messages;
  if (!first) {
    // Nothing to say: remove the placeholder rather than leave it "thinking" until it expires.
    await attempt(() => interaction.deleteReply(), 'interaction-delete', context.logger);
    return;
  }
  await attempt(() => interaction.editReply(first.payload), 'interaction-reply', context.logger);
  for (const { payload, ephemeral } of rest) {
    const flags = ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
    await attempt(
      () => interaction.followUp({ ...payload, ...flags }),
      'interaction-follow-up',
      context.logger,
    );
  }
}

async function attempt(send: () => Promise<unknown>, step: string, logger: Logger): Promise<void> {
  try {
    await send();
  } catch (error) {
    logger.error({ err: error, step }, 'discord send failed');
  }
}

import type { OutgoingMessage, TextReply } from '../../src/core/messages';
import type { OutboundActivity } from './activity-shape';
import { notice } from './notices';
import { renderReply, type FileParking, type ReplyScope } from './render-reply';

/** The speaker's personal chat with the bot, opened for one delivery. */
export interface PersonalChat {
  readonly conversationKey: string;
  send(activities: OutboundActivity[]): Promise<void>;
}

/** Where a turn's replies can go; teams-channel.ts implements it with botbuilder. */
export interface DeliveryRoutes {
  /** The conversation the turn came from. */
  sendHere(activities: OutboundActivity[]): Promise<void>;
  /**
   * Runs `deliver` in the speaker's personal chat. Resolves false when that chat cannot be opened
   * or the delivery failed: Teams opens one only if the app is installed for the person or in a
   * team they belong to, and never for the Emulator.
   */
  toSpeaker(deliver: (chat: PersonalChat) => Promise<void>): Promise<boolean>;
}

/**
 * One turn's replies, in order. Teams has no message that only one member of a conversation sees,
 * so a reply marked privateToSpeaker in a channel or group chat goes to the speaker's personal
 * chat instead. When that fails, the conversation gets a pointer and never the reply: the reply
 * itself if the engine says it holds nothing personal (publicFallback), else our own sentence.
 */
export async function deliverReplies(
  replies: readonly OutgoingMessage[],
  here: ReplyScope,
  routes: DeliveryRoutes,
  parking: FileParking,
): Promise<void> {
  for (const reply of replies) {
    if (reply.kind === 'text' && reply.privateToSpeaker === true && !here.isPrivateChat) {
      await deliverToSpeaker(reply, here, routes, parking);
      continue;
    }
    const activities = renderReply(reply, here, parking);
    if (activities.length > 0) await routes.sendHere(activities);
  }
}

async function deliverToSpeaker(
  reply: TextReply,
  here: ReplyScope,
  routes: DeliveryRoutes,
  parking: FileParking,
): Promise<void> {
  const delivered = await routes.toSpeaker(async (chat) => {
    // Rendered for the personal chat: a file waits there behind a consent card, bound to that chat.
    const activities = renderReply(
      reply,
      { ...here, conversationKey: chat.conversationKey, isPrivateChat: true },
      parking,
    );
    if (activities.length > 0) await chat.send(activities);
  });
  if (delivered) return;
  const pointer =
    reply.publicFallback === true
      ? renderReply(reply, here, parking)
      : [{ type: 'message' as const, text: notice('privateReplyPointer', here.locale) }];
  if (pointer.length > 0) await routes.sendHere(pointer);
}

import type { IncomingMessage, OutgoingMessage } from '../../../../src/core/messages';

/** What one exchange in a group conversation left behind, as the platform double recorded it. */
export interface GroupExchange {
  /** What reached the engine. */
  readonly incoming: readonly IncomingMessage[];
  /** Every text the other members of the conversation can see. */
  readonly visibleToGroup: readonly string[];
  /** Every text that reached the speaker alone. */
  readonly visibleToSpeakerOnly: readonly string[];
}

/**
 * One adapter driven through its real SDK against its platform double. `speakInGroup` has the
 * speaker address the bot in a group conversation the way the platform lets them (a command, an
 * @mention) and the engine answer `replies`; `speakerReachable: false` makes the platform refuse
 * to open a private conversation with the speaker (they never started the bot, or closed DMs).
 */
export interface AdapterDriver {
  readonly name: string;
  speakInGroup(
    replies: readonly OutgoingMessage[],
    options: { readonly speakerReachable: boolean },
  ): Promise<GroupExchange>;
}

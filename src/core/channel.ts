import type { IncomingMessage, OutgoingMessage } from './messages';

/** What the engine offers a channel: one call per turn. */
export type TurnHandler = (message: IncomingMessage) => Promise<readonly OutgoingMessage[]>;

/**
 * The port every adapter implements. Kept small on purpose (compare botbuilder's BotAdapter):
 * a channel receives updates, turns them into neutral messages, and renders the replies.
 */
export interface Channel {
  readonly name: string;
  start(handler: TurnHandler): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Neutral message types. Adapters translate platform updates into `IncomingMessage` and render
 * `OutgoingMessage` natively; no platform type ever crosses into src/ or dialogs/.
 */

/**
 * The name of the channel a message came through, stored with its people's records: `console`
 * (the terminal) or a name in the channel table, adapters/index.ts. src/ never lists them, so a
 * new channel needs no edit here; the operator CLI checks names against the table.
 */
export type ChannelName = string;

export interface IncomingMessage {
  readonly channel: ChannelName;
  /** Stable id of the conversation on its platform (chat id, channel id, conversation id). */
  readonly conversationKey: string;
  /** Stable id of the speaker on its platform. Never stored in clear; see src/privacy/subject-id.ts. */
  readonly userKey: string;
  readonly text?: string;
  /** Id of a pressed button, as set in `Action.id`. */
  readonly action?: string;
  /** A platform signal that is not a message: the bot was added to a conversation (Teams, Discord). */
  readonly event?: 'conversation-started';
  /** The platform's idea of the person's language (e.g. Telegram `language_code`). */
  readonly localeHint?: string;
  /** One-to-one chat with the bot (private chat, DM, Teams personal scope). */
  readonly isPrivateChat: boolean;
  readonly receivedAt: Date;
  /** Escape hatch for adapter-specific needs. The engine never reads or logs it. */
  readonly raw?: unknown;
}

/** A button. `id` is stable and routed by the engine; `label` is already localised. */
export interface Action {
  readonly id: string;
  readonly label: string;
}

export interface FileAttachment {
  readonly name: string;
  readonly mime: string;
  readonly bytes: Buffer;
}

export type OutgoingMessage =
  | {
      readonly kind: 'text';
      /** Already rendered in the person's language. */
      readonly text: string;
      readonly actions?: readonly Action[];
      readonly file?: FileAttachment;
      /** Show only to the speaker where the platform can (Discord ephemeral replies). */
      readonly privateToSpeaker?: boolean;
      /**
       * With privateToSpeaker: the text holds nothing personal (a pointer to a private chat), so
       * when the platform cannot reach the speaker privately it may post it in the conversation
       * instead. Telegram, for one, refuses messages to people who never opened a chat with the bot.
       */
      readonly publicFallback?: boolean;
    }
  | { readonly kind: 'typing' };

export type TextReply = Extract<OutgoingMessage, { kind: 'text' }>;

export function textReply(text: string, extra: Omit<TextReply, 'kind' | 'text'> = {}): TextReply {
  return { kind: 'text', text, ...extra };
}

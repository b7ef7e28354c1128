/**
 * The few fields of a Bot API update this adapter reads, described here instead of imported from
 * telegraf (whose union types make `message.text` awkward). Every field is optional on purpose:
 * updates arrive as JSON from the network, so the mapping checks what it relies on.
 * See https://core.telegram.org/bots/api#update
 */

export interface TelegramUser {
  readonly id?: number;
  readonly is_bot?: boolean;
  readonly language_code?: string;
}

export interface TelegramChat {
  readonly id?: number;
  readonly type?: string;
}

export interface TelegramMessage {
  readonly date?: number;
  readonly chat?: TelegramChat;
  readonly from?: TelegramUser;
  /** Set when a chat speaks rather than a person (anonymous group admin, linked channel). */
  readonly sender_chat?: unknown;
  readonly text?: string;
  /** Under a photo, video, document, ...: what the person wrote, read as the message text. */
  readonly caption?: string;
  /** Unchecked: each entity is validated where it is used (see addressing.ts). */
  readonly entities?: unknown;
  readonly caption_entities?: unknown;
  readonly reply_to_message?: {
    readonly from?: TelegramUser;
    /** Present on a forum topic's first message, which every message in the topic "replies" to. */
    readonly forum_topic_created?: unknown;
  };
}

export interface TelegramCallbackQuery {
  readonly id?: string;
  readonly from?: TelegramUser;
  readonly data?: string;
  readonly message?: { readonly chat?: TelegramChat };
}

export interface TelegramUpdate {
  readonly update_id: number;
  readonly message?: TelegramMessage;
  readonly callback_query?: TelegramCallbackQuery;
}

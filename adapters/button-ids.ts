import { createHash } from 'node:crypto';

/** Telegram rejects a whole message when any button's callback_data exceeds 64 bytes. */
export const TELEGRAM_CALLBACK_DATA_MAX_BYTES = 64;
/** Discord rejects a message whose button custom_id is longer than 100 characters. */
export const DISCORD_CUSTOM_ID_MAX_CHARS = 100;

/** Marks a platform button id as a short token standing for a longer action id. */
const TOKEN_PREFIX = '~';
const TOKEN_HASH_CHARS = 32;

/**
 * The action a press becomes when its token cannot be resolved (issued before a restart, by
 * another instance, evicted, or forged). No dialog id contains the prefix, so the engine routes it
 * as an unknown action and answers "that button no longer works" in the person's own language:
 * a press never goes unanswered, and adapters never translate.
 */
export const STALE_BUTTON_ACTION = `${TOKEN_PREFIX}stale-button`;

/**
 * The one mapping between the engine's action ids and the platforms' button ids, for every
 * channel that has a limit (Telegram's callback_data, Discord's custom_id; Teams card data has
 * none worth the name). What the ids mean is the engine's business: consent buttons are signed
 * for the person and the text they were shown under, every other id is checked against the dialog
 * registry when it comes back.
 *
 * Ids that fit go as they are, so buttons keep working across restarts and instances. A longer id
 * becomes a token derived from its hash (rendering the same id twice gives the same token),
 * remembered in a bounded map (oldest first out), so a bot that renders many long ids cannot grow
 * without limit. Long ids are a smell: `encode` says when it had to mint a token, to be logged.
 */
export class ButtonIdCodec {
  private readonly actionIdByToken = new Map<string, string>();

  constructor(
    /** The platform's limit, in UTF-8 bytes (a limit in characters is at least as large). */
    private readonly maxBytes: number,
    private readonly capacity = 1000,
  ) {
    if (maxBytes < TOKEN_PREFIX.length + TOKEN_HASH_CHARS) throw new RangeError('button id limit too small');
  }

  encode(actionId: string): { id: string; minted: boolean } {
    // Ids that happen to start with the prefix are tokenised too, so decode() is never ambiguous.
    const bytes = Buffer.byteLength(actionId, 'utf8');
    if (bytes > 0 && bytes <= this.maxBytes && !actionId.startsWith(TOKEN_PREFIX))
      return { id: actionId, minted: false };
    const token =
      TOKEN_PREFIX + createHash('sha256').update(actionId).digest('base64url').slice(0, TOKEN_HASH_CHARS);
    const minted = !this.actionIdByToken.has(token);
    // Re-inserting moves the entry to the end: the Map's insertion order doubles as recency order.
    this.actionIdByToken.delete(token);
    this.actionIdByToken.set(token, actionId);
    for (const oldest of this.actionIdByToken.keys()) {
      if (this.actionIdByToken.size <= this.capacity) break;
      this.actionIdByToken.delete(oldest);
    }
    return { id: token, minted };
  }

  /** The action id behind a platform button id; STALE_BUTTON_ACTION for a token not known here. */
  decode(platformId: string): string {
    if (!platformId.startsWith(TOKEN_PREFIX)) return platformId;
    return this.actionIdByToken.get(platformId) ?? STALE_BUTTON_ACTION;
  }
}

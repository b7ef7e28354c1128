import { createHash } from 'node:crypto';

/** Discord rejects a message whose button custom_id is longer than 100 characters. */
export const MAX_CUSTOM_ID_LENGTH = 100;

/** Marks a custom_id as a short token standing for a longer action id. */
const TOKEN_PREFIX = '~';

/**
 * The action a press of an unresolvable token becomes. No dialog id contains the prefix, so the
 * engine routes it as an unknown action and answers "that button no longer works" in the
 * person's own language: the adapter knows neither that language nor the texts.
 */
export const STALE_BUTTON_ACTION = `${TOKEN_PREFIX}stale-button`;

/**
 * Maps engine action ids to Discord custom_ids and back.
 *
 * Ids that fit are used as they are, so buttons keep working across restarts and across
 * instances. Longer ids (the engine may put a purpose and policy version in an id) become a short
 * token derived from a hash of the id, remembered in a bounded map: bounded so that a bot
 * rendering many distinct long ids cannot grow memory without limit; hashed so that rendering the
 * same id twice yields the same token. A token that has been evicted, or that was issued by
 * another process, cannot be resolved: the press becomes STALE_BUTTON_ACTION, and the person is
 * told the button no longer works. Keep action ids short to avoid that path altogether.
 */
export class ButtonIdCodec {
  private readonly actionIdByToken = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  encode(actionId: string): string {
    // Ids that happen to start with the prefix are tokenised too, so decode() is never ambiguous.
    if (actionId.length <= MAX_CUSTOM_ID_LENGTH && !actionId.startsWith(TOKEN_PREFIX)) return actionId;
    const token = TOKEN_PREFIX + createHash('sha256').update(actionId).digest('base64url').slice(0, 32);
    // Re-inserting moves the entry to the end: the Map's insertion order doubles as recency order.
    this.actionIdByToken.delete(token);
    this.actionIdByToken.set(token, actionId);
    this.evictOldest();
    return token;
  }

  /** The action id behind a custom_id, or undefined for a token this process no longer knows. */
  decode(customId: string): string | undefined {
    if (!customId.startsWith(TOKEN_PREFIX)) return customId;
    return this.actionIdByToken.get(customId);
  }

  private evictOldest(): void {
    while (this.actionIdByToken.size > this.capacity) {
      const oldest = this.actionIdByToken.keys().next();
      if (oldest.done) return;
      this.actionIdByToken.delete(oldest.value);
    }
  }
}

import { createHash } from 'node:crypto';

/** Telegram rejects the whole message when any button's callback_data exceeds 64 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
const TOKEN_PREFIX = '~t:';

/**
 * Action ids travel as callback_data unchanged whenever they fit, so a button press can be served
 * by any instance, even after a restart. An id that does not fit is swapped for a short token and
 * remembered here rather than rejected: refusing to render would lose the whole reply over one
 * long id. The memory is bounded (oldest entries go first) and per process, so a token pressed on
 * another instance or after a restart is unknown; the channel then answers the press and skips it.
 * Long ids are a smell: the channel logs each new token so they get shortened.
 */
export class ActionTokens {
  private readonly idsByToken = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  /** Returns the callback_data for an action id, and whether a new token had to be minted. */
  toCallbackData(actionId: string): { data: string; minted: boolean } {
    if (fitsAsIs(actionId)) return { data: actionId, minted: false };
    // Derived from the id, so rendering the same button twice reuses one entry.
    const token = TOKEN_PREFIX + createHash('sha256').update(actionId).digest('base64url').slice(0, 22);
    const minted = !this.idsByToken.has(token);
    this.idsByToken.delete(token);
    this.idsByToken.set(token, actionId);
    for (const oldest of this.idsByToken.keys()) {
      if (this.idsByToken.size <= this.capacity) break;
      this.idsByToken.delete(oldest);
    }
    return { data: token, minted };
  }

  /** The action id behind callback_data, or undefined for a token this process no longer knows. */
  fromCallbackData(data: string): string | undefined {
    return data.startsWith(TOKEN_PREFIX) ? this.idsByToken.get(data) : data;
  }
}

function fitsAsIs(actionId: string): boolean {
  const bytes = Buffer.byteLength(actionId, 'utf8');
  return bytes > 0 && bytes <= CALLBACK_DATA_MAX_BYTES && !actionId.startsWith(TOKEN_PREFIX);
}

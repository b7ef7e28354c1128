/**
 * Telegram refuses texts over 4096 characters (https://core.telegram.org/bots/api#sendmessage).
 * It counts UTF-16 code units, which is what String#length measures.
 */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Cut a long text into messages Telegram accepts: at a line break if there is one in the second
 * half of the window, else at a space, else hard, but never between the halves of a surrogate
 * pair (that would turn an emoji into two replacement characters). Blank parts are dropped
 * because Telegram rejects an empty message.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    parts.push(rest.slice(0, cut.at));
    rest = rest.slice(cut.at + cut.skip);
  }
  parts.push(rest);
  return parts.filter((part) => part.trim() !== '');
}

function cutPoint(text: string, limit: number): { at: number; skip: number } {
  const minimum = Math.floor(limit / 2);
  for (const separator of ['\n', ' ']) {
    const at = text.lastIndexOf(separator, limit);
    if (at >= minimum) return { at, skip: 1 };
  }
  const splitsPair = isHighSurrogate(text.charCodeAt(limit - 1));
  return { at: splitsPair ? limit - 1 : limit, skip: 0 };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Lower case, NFC, punctuation and symbols as spaces: how typed text is compared with the phrases
 * in locales/ ("Opt out!" is "opt out").
 */
export function normalisePhrase(text: string): string {
  return text
    .normalize('NFC')
    .toLocaleLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

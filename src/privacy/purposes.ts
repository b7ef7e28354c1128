/** The purposes a person can consent to, one by one (GDPR Art. 6(1)(a), 7). */
export const PURPOSES = ['history', 'personalization', 'analytics'] as const;
export type Purpose = (typeof PURPOSES)[number];

export type PurposeChoices = Readonly<Record<Purpose, boolean>>;

export const NO_PURPOSES: PurposeChoices = { history: false, personalization: false, analytics: false };
export const ALL_PURPOSES: PurposeChoices = { history: true, personalization: true, analytics: true };

export function isPurpose(value: string | undefined): value is Purpose {
  return (PURPOSES as readonly string[]).includes(value ?? '');
}

/** Compact form for button ids ("101" = history and analytics), so choosing stores nothing. */
export function encodeChoices(choices: PurposeChoices): string {
  return PURPOSES.map((purpose) => (choices[purpose] ? '1' : '0')).join('');
}

export function decodeChoices(bits: string | undefined): PurposeChoices | undefined {
  if (!bits || !/^[01]{3}$/.test(bits)) return undefined;
  return { history: bits[0] === '1', personalization: bits[1] === '1', analytics: bits[2] === '1' };
}

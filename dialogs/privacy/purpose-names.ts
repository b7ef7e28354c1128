import type { Purpose } from '../../src/privacy/purposes';

/** Spelled out (not built from the purpose) so the locale-key test can see every key in use. */
export const PURPOSE_NAME_KEYS: Readonly<Record<Purpose, string>> = {
  history: 'purposes.history',
  personalization: 'purposes.personalization',
  analytics: 'purposes.analytics',
};

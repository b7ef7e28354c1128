import type { Turn } from '../src/engine/turn';

/** A date in the person's language, e.g. "22 Nov 2026" or "22.11.2026". */
export function formatDate(turn: Turn, date: Date): string {
  return new Intl.DateTimeFormat(turn.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

import { localeFromHint } from '../../i18n/locales';
import type { Turn } from '../turn';
import type { Next } from '../../core/pipeline';

/** Load what we know of the speaker (nothing, if they never decided) and pick their language. */
export async function identify(turn: Turn, next: Next): Promise<void> {
  // The platform's hint first: if the database is down, the apology is still in their language.
  turn.setLocale(localeFromHint(turn.message.localeHint) ?? turn.config.defaultLocale);
  turn.subject = await turn.services.stores.subjects.get(turn.subjectId);
  if (turn.subject?.locale) turn.setLocale(turn.subject.locale);
  await next();
}

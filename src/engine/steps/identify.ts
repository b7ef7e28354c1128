import { localeFromHint } from '../../i18n/locales';
import type { Turn } from '../turn';
import type { Next } from '../../core/pipeline';

/** Load what we know of the speaker (nothing, if they never decided) and pick their language. */
export async function identify(turn: Turn, next: Next): Promise<void> {
  turn.subject = await turn.services.stores.subjects.get(turn.subjectId);
  const locale = turn.subject?.locale ?? localeFromHint(turn.message.localeHint) ?? turn.config.defaultLocale;
  turn.setLocale(locale);
  await next();
}

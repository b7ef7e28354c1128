import type { Dialog } from '../src/engine/dialog';
import { actionId } from '../src/engine/dialog';
import type { Turn } from '../src/engine/turn';
import { LOCALES, isLocale, type Locale } from '../src/i18n/locales';
import { LANGUAGE_NAME_KEYS } from './privacy/language-names';

/**
 * `/language` picks the bot's language. It is remembered only for people who made a consent
 * decision; before that it applies to the conversation at hand (the onboarding is re-shown in it).
 */
export const languageDialog: Dialog = {
  id: 'language',
  commands: ['/language'],
  intent: 'language',
  beforeConsent: true,

  async start(turn, args) {
    const requested = args.trim().toLowerCase();
    if (isLocale(requested)) return choose(turn, requested);
    turn.say(turn.t('language.choose'), {
      actions: LOCALES.map((locale) => ({
        id: actionId('language', 'set', locale),
        label: turn.t(LANGUAGE_NAME_KEYS[locale]),
      })),
    });
  },

  async onAction(turn, verb, [locale]) {
    if (verb === 'set' && isLocale(locale)) return choose(turn, locale);
    turn.say(turn.t('input.unknownAction'));
  },
};

async function choose(turn: Turn, locale: Locale): Promise<void> {
  turn.setLocale(locale);
  if (turn.hasDecided) {
    await turn.services.stores.subjects.setLocale(turn.subjectId, locale);
    turn.say(turn.t('language.saved'));
    return;
  }
  turn.say(turn.t('language.notSaved'));
  await turn.services.dialogs.onboarding.showNotice(turn);
}

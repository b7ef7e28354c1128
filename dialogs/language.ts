import type { Dialog } from '../src/engine/turn';
import { actionId } from '../src/engine/turn';
import type { Turn } from '../src/engine/turn';
import { LOCALES, isLocale, type Locale } from '../src/i18n/locales';

/**
 * `/language` picks the bot's language. It is remembered only for people who made a consent
 * decision; before that it applies to the conversation at hand (the onboarding is re-shown in it).
 * It offers every folder in locales/, each named by its own `language.name`.
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
        label: languageName(turn, locale),
      })),
    });
  },

  async onAction(turn, verb, [locale]) {
    if (verb === 'set' && isLocale(locale)) return choose(turn, locale);
    turn.say(turn.t('input.unknownAction'));
  },
};

/** A language by its own name ("Deutsch", "Français"): found whatever language is on screen. */
function languageName(turn: Turn, locale: Locale): string {
  return turn.services.i18n.translator(locale)('language.name');
}

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

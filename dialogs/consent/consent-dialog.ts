import { actionId } from '../../src/engine/dialog';
import type { OnboardingDialog } from '../../src/engine/services';
import type { Turn } from '../../src/engine/turn';
import { isLocale } from '../../src/i18n/locales';
import {
  ALL_PURPOSES,
  NO_PURPOSES,
  PURPOSES,
  decodeChoices,
  type PurposeChoices,
} from '../../src/privacy/purposes';
import { PURPOSE_NAME_KEYS } from '../privacy/purpose-names';
import { type AgeBand, askAge, grantsAnything, isAgeBand, needsAgeScreen } from './age-screen';
import { CONSENT_DIALOG, showChooser } from './chooser';
import { renderNotice } from './notice';

/**
 * Consent onboarding and review (`/consent`). Accept all, choose per purpose, or decline; every
 * decision goes to the ledger. Declining still leaves a working, stateless bot (Art. 7(4)).
 */
export const consentDialog: OnboardingDialog = {
  id: CONSENT_DIALOG,
  commands: ['/consent'],
  intent: 'consent',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn) {
    if (!turn.hasDecided) return this.showNotice(turn);
    showChooser(turn, turn.subject!.purposes, 'consent.review');
  },

  async showNotice(turn) {
    const updated = turn.subject !== null && !turn.hasDecided;
    const notice = renderNotice(turn);
    turn.say(updated ? `${turn.t('consent.policyUpdated')}\n\n${notice}` : notice, {
      actions: [
        { id: actionId(CONSENT_DIALOG, 'all', turn.locale), label: turn.t('consent.acceptAll') },
        {
          id: actionId(CONSENT_DIALOG, 'custom', '000', turn.locale),
          label: turn.t('consent.choosePurposes'),
        },
        { id: actionId(CONSENT_DIALOG, 'none', turn.locale), label: turn.t('consent.decline') },
      ],
    });
  },

  async onAction(turn, verb, args) {
    // The button carries the language the notice was shown in: that is the text we hash.
    const shownIn = args[args.length - 1];
    if (isLocale(shownIn)) turn.setLocale(shownIn);
    switch (verb) {
      case 'all':
        return decideOrAskAge(turn, ALL_PURPOSES);
      case 'none':
        return decide(turn, NO_PURPOSES);
      case 'custom': {
        const choices = decodeChoices(args[0]);
        return choices
          ? showChooser(turn, choices, 'consent.choose')
          : turn.say(turn.t('input.unknownAction'));
      }
      case 'save': {
        const choices = decodeChoices(args[0]);
        return choices ? decideOrAskAge(turn, choices) : turn.say(turn.t('input.unknownAction'));
      }
      case 'age': {
        const choices = decodeChoices(args[0]);
        const band = args[1];
        return choices && isAgeBand(band, turn.config.privacy.consentMinAge)
          ? answerAge(turn, choices, band)
          : turn.say(turn.t('input.unknownAction'));
      }
      default:
        turn.say(turn.t('input.unknownAction'));
    }
  },
};

async function decideOrAskAge(turn: Turn, choices: PurposeChoices): Promise<void> {
  if (turn.subject?.underAge && grantsAnything(choices)) return refuseUnderAge(turn);
  if (needsAgeScreen(turn, choices)) return askAge(turn, choices);
  return decide(turn, choices);
}

async function answerAge(turn: Turn, choices: PurposeChoices, band: AgeBand): Promise<void> {
  if (turn.subject?.underAge) return refuseUnderAge(turn);
  if (band === 'adult') return decide(turn, choices);
  // Below the consent age: record a refusal of every purpose, which also stops later grants.
  await decide(turn, NO_PURPOSES, { underAge: true });
}

function refuseUnderAge(turn: Turn): void {
  turn.say(turn.t('consent.ageRefused'));
}

async function decide(
  turn: Turn,
  choices: PurposeChoices,
  options: { underAge?: boolean } = {},
): Promise<void> {
  turn.subject = await turn.services.consent.decide({
    subjectId: turn.subjectId,
    choices,
    noticeText: renderNotice(turn),
    locale: turn.locale,
    channel: turn.message.channel,
    at: turn.now,
    ...(options.underAge && { underAge: true }),
  });
  if (options.underAge) {
    turn.say(turn.t('consent.ageTooYoung'));
    return;
  }
  const granted = PURPOSES.filter((purpose) => choices[purpose]).map((purpose) =>
    turn.t(PURPOSE_NAME_KEYS[purpose]),
  );
  turn.say(
    granted.length > 0
      ? turn.t('consent.saved', { purposes: granted.join(', ') })
      : turn.t('consent.savedNone'),
  );
}

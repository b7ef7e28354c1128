import type { OnboardingDialog } from '../../src/engine/turn';
import type { Turn } from '../../src/engine/turn';
import {
  ALL_PURPOSES,
  NO_PURPOSES,
  PURPOSES,
  decodeChoices,
  type PurposeChoices,
} from '../../src/privacy/purposes';
import { PURPOSE_NAME_KEYS } from '../privacy/purpose-names';
import { retentionText } from '../privacy/retention-text';
import { type AgeBand, askAge, grantsAnything, isAgeBand, needsAgeScreen } from './age-screen';
import { CONSENT_DIALOG, type ConsentButtons, buttonsFor, pressedButton } from './buttons';
import { showChooser } from './chooser';

/**
 * Consent onboarding and review (`/consent`). Accept all, choose per purpose, or decline; every
 * decision goes to the ledger with the hash of the exact message that put it before the person.
 * Declining still leaves a working, stateless bot (Art. 7(4)). Only buttons the bot issued to
 * this person for that message count (./buttons.ts).
 */
export const consentDialog: OnboardingDialog = {
  id: CONSENT_DIALOG,
  commands: ['/consent'],
  intent: 'consent',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn) {
    if (!turn.hasDecided) return this.showNotice(turn);
    showChooser(turn, turn.subject!.purposes, 'consent.review', buttonsFor(turn, 'r'));
  },

  async showNotice(turn) {
    // Someone who decided under an earlier policy version reads why they are asked again.
    const buttons = buttonsFor(turn, turn.subject !== null && !turn.hasDecided ? 'u' : 'n');
    turn.say(buttons.text, {
      actions: [
        { id: buttons.id('all'), label: turn.t('consent.acceptAll') },
        { id: buttons.id('custom', '000'), label: turn.t('consent.choosePurposes') },
        { id: buttons.id('none'), label: turn.t('consent.decline') },
      ],
    });
  },

  async onAction(turn, verb, args) {
    const pressed = pressedButton(turn, verb, args);
    if (!pressed) return turn.say(turn.t('input.unknownAction'));
    const { payload, buttons } = pressed;
    // The language the message was shown in: the rest of the dialog continues in it.
    turn.setLocale(buttons.locale);
    switch (verb) {
      case 'all':
        return decideOrAskAge(turn, ALL_PURPOSES, buttons);
      case 'none':
        return decide(turn, NO_PURPOSES, buttons);
      case 'custom': {
        const choices = decodeChoices(payload[0]);
        return choices
          ? showChooser(turn, choices, 'consent.choose', buttons)
          : turn.say(turn.t('input.unknownAction'));
      }
      case 'save': {
        const choices = decodeChoices(payload[0]);
        return choices ? decideOrAskAge(turn, choices, buttons) : turn.say(turn.t('input.unknownAction'));
      }
      case 'age': {
        const choices = decodeChoices(payload[0]);
        const band = payload[1];
        return choices && isAgeBand(band, turn.config.privacy.consentMinAge)
          ? answerAge(turn, choices, band, buttons)
          : turn.say(turn.t('input.unknownAction'));
      }
      default:
        turn.say(turn.t('input.unknownAction'));
    }
  },
};

async function decideOrAskAge(turn: Turn, choices: PurposeChoices, buttons: ConsentButtons): Promise<void> {
  if (turn.subject?.underAge && grantsAnything(choices)) return refuseUnderAge(turn);
  if (needsAgeScreen(turn, choices)) return askAge(turn, choices, buttons);
  return decide(turn, choices, buttons);
}

async function answerAge(
  turn: Turn,
  choices: PurposeChoices,
  band: AgeBand,
  buttons: ConsentButtons,
): Promise<void> {
  if (turn.subject?.underAge) return refuseUnderAge(turn);
  if (band === 'adult') return decide(turn, choices, buttons);
  // Below the consent age: nothing is granted, and only a short-lived flag is kept (ConsentService).
  await decide(turn, NO_PURPOSES, buttons, { underAge: true });
}

function refuseUnderAge(turn: Turn): void {
  turn.say(turn.t('consent.ageRefused', { retention: underAgeRetention(turn) }));
}

/** How long the under-age flag is kept (RETENTION_UNDER_AGE_DAYS), in the person's words. */
function underAgeRetention(turn: Turn): string {
  return retentionText(turn.t, turn.config.retention.underAgeMs);
}

async function decide(
  turn: Turn,
  choices: PurposeChoices,
  buttons: ConsentButtons,
  options: { underAge?: boolean } = {},
): Promise<void> {
  turn.subject = await turn.services.consent.decide({
    subjectId: turn.subjectId,
    choices,
    noticeText: buttons.text,
    locale: turn.locale,
    channel: turn.message.channel,
    at: turn.now,
    ...(options.underAge && { underAge: true }),
  });
  if (options.underAge) {
    turn.say(turn.t('consent.ageTooYoung', { retention: underAgeRetention(turn) }));
    return;
  }
  // "No thanks" from someone who answered below the consent age earlier: what is kept is the flag.
  if (turn.subject.underAge) return refuseUnderAge(turn);
  const granted = PURPOSES.filter((purpose) => choices[purpose]).map((purpose) =>
    turn.t(PURPOSE_NAME_KEYS[purpose]),
  );
  turn.say(
    granted.length > 0
      ? turn.t('consent.saved', { purposes: granted.join(', ') })
      : turn.t('consent.savedNone'),
  );
}

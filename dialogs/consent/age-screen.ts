import type { Turn } from '../../src/engine/turn';
import { PURPOSES, encodeChoices, type PurposeChoices } from '../../src/privacy/purposes';
import type { ConsentButtons } from './buttons';

/** Age bands offered, youngest first; 'teen' only where CONSENT_MIN_AGE is above 13. */
export type AgeBand = 'under13' | 'teen' | 'adult';

/** The age below which COPPA forbids collecting anything without verifiable parental consent. */
const COPPA_AGE = 13;

export function bandsFor(minAge: number): AgeBand[] {
  return minAge > COPPA_AGE ? ['under13', 'teen', 'adult'] : ['under13', 'adult'];
}

export function isAgeBand(value: string | undefined, minAge: number): value is AgeBand {
  return (bandsFor(minAge) as string[]).includes(value ?? '');
}

export function grantsAnything(choices: PurposeChoices): boolean {
  return PURPOSES.some((purpose) => choices[purpose]);
}

/**
 * Whether the person must answer the age screen before these choices are recorded: only when they
 * grant something and have never granted anything before (an earlier grant means they passed it).
 */
export function needsAgeScreen(turn: Turn, choices: PurposeChoices): boolean {
  if (!grantsAnything(choices)) return false;
  const previous = turn.subject?.purposes;
  return !previous || !grantsAnything(previous);
}

/**
 * A neutral age screen (GDPR Art. 8, COPPA): one question asked of everyone, every band an equal
 * button, no default and no hint of which answer unlocks what. The choices travel in the button
 * ids, so nothing is stored until the answer, and the age itself is never stored. The buttons
 * stay tied to the message that put the decision before the person (`buttons`).
 */
export function askAge(turn: Turn, choices: PurposeChoices, buttons: ConsentButtons): void {
  const minAge = turn.config.privacy.consentMinAge;
  const label = (band: AgeBand): string => {
    switch (band) {
      case 'under13':
        return turn.t('consent.ageUnder13', { age: COPPA_AGE });
      case 'teen':
        return turn.t('consent.ageTeen', { from: COPPA_AGE, to: minAge - 1 });
      case 'adult':
        return turn.t('consent.ageAdult', { age: minAge });
    }
  };
  turn.say(turn.t('consent.ageQuestion'), {
    actions: bandsFor(minAge).map((band) => ({
      id: buttons.id('age', encodeChoices(choices), band),
      label: label(band),
    })),
  });
}

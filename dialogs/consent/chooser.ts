import { actionId } from '../../src/engine/dialog';
import type { Turn } from '../../src/engine/turn';
import { PURPOSES, encodeChoices, type PurposeChoices } from '../../src/privacy/purposes';
import { PURPOSE_NAME_KEYS } from '../privacy/purpose-names';

export const CONSENT_DIALOG = 'consent';

/**
 * Per-purpose toggles. The whole selection travels in the button ids, so choosing stores
 * nothing until the person presses save.
 */
export function showChooser(
  turn: Turn,
  choices: PurposeChoices,
  introKey: 'consent.choose' | 'consent.review',
): void {
  const toggles = PURPOSES.map((purpose) => {
    const toggled = encodeChoices({ ...choices, [purpose]: !choices[purpose] });
    const name = turn.t(PURPOSE_NAME_KEYS[purpose]);
    const label = choices[purpose]
      ? turn.t('consent.toggleOn', { name })
      : turn.t('consent.toggleOff', { name });
    return { id: actionId(CONSENT_DIALOG, 'custom', toggled, turn.locale), label };
  });
  turn.say(turn.t(introKey, { policyVersion: turn.config.privacy.policyVersion }), {
    actions: [
      ...toggles,
      {
        id: actionId(CONSENT_DIALOG, 'save', encodeChoices(choices), turn.locale),
        label: turn.t('consent.save'),
      },
    ],
  });
}

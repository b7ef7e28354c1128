import type { Turn } from '../../src/engine/turn';
import { PURPOSES, encodeChoices, type PurposeChoices } from '../../src/privacy/purposes';
import { PURPOSE_NAME_KEYS } from '../privacy/purpose-names';
import type { ConsentButtons } from './buttons';

/**
 * Per-purpose toggles. The whole selection travels in the button ids, so choosing stores
 * nothing until the person presses save; every button stays tied to the message that put the
 * decision before the person (`buttons`), whose text the ledger will hash.
 */
export function showChooser(
  turn: Turn,
  choices: PurposeChoices,
  introKey: 'consent.choose' | 'consent.review',
  buttons: ConsentButtons,
): void {
  const toggles = PURPOSES.map((purpose) => {
    const toggled = encodeChoices({ ...choices, [purpose]: !choices[purpose] });
    const name = turn.t(PURPOSE_NAME_KEYS[purpose]);
    const label = choices[purpose]
      ? turn.t('consent.toggleOn', { name })
      : turn.t('consent.toggleOff', { name });
    return { id: buttons.id('custom', toggled), label };
  });
  turn.say(turn.t(introKey, { policyVersion: turn.config.privacy.policyVersion }), {
    actions: [...toggles, { id: buttons.id('save', encodeChoices(choices)), label: turn.t('consent.save') }],
  });
}

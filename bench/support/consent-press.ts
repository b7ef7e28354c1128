import { ConsentButtons } from '../../dialogs/consent/buttons';
import type { App } from '../../src/app';

/** The consent button each variant's people press first, as `verb` and payload (English). */
export interface ConsentPress {
  readonly verb: string;
  readonly payload: readonly string[];
}

/** "Accept all" answered "16 or older" on the age screen: every purpose, as an adult. */
export const ACCEPT_ALL_AS_ADULT: ConsentPress = { verb: 'age', payload: ['111', 'adult'] };
/** "No thanks": nothing of the conversation is stored. */
export const DECLINE: ConsentPress = { verb: 'none', payload: [] };

/**
 * The button id as the bot issues it to `user` under its consent notice: consent buttons carry a
 * tag made for the person and the text they were shown (dialogs/consent/buttons.ts), so the
 * benchmark presses what the product itself would render.
 */
export function consentButtonFor(app: App, user: string, press: ConsentPress): string {
  const { subjectIds, config, i18n } = app.services;
  const signer = { subjectIds, subjectId: subjectIds.of('console', user), config, i18n };
  return new ConsentButtons(signer, 'en', 'n').id(press.verb, ...press.payload);
}

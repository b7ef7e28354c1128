import type { Dialog } from '../../src/engine/turn';
import type { Turn } from '../../src/engine/turn';
import { normalisePhrase } from '../../src/i18n/i18n';
import { requester } from './requester';

/**
 * `/restrict`: GDPR Art. 18. The data stays, nothing processes it (no personalisation, no new
 * history: see Turn.allows) and its expiry clock stops. `/restrict off` (or "lift restriction")
 * starts everything again where it stopped.
 */
export const restrictDialog: Dialog = {
  id: 'restrict',
  commands: ['/restrict'],
  intent: 'restrict',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn, args) {
    const off = normalisePhrase(args);
    if (off === 'off' || off === normalisePhrase(turn.t('restrict.offWord'))) return lift(turn);
    if (!turn.subject) {
      turn.say(turn.t('restrict.nothingHeld'));
      return;
    }
    const already = turn.subject.restricted;
    // Run even when already restricted: it is idempotent and completes an earlier attempt that failed.
    await turn.services.rights.restrict(requester(turn));
    turn.subject = { ...turn.subject, restricted: true };
    turn.say(turn.t(already ? 'restrict.already' : 'restrict.done'));
  },
};

/** "lift the restriction", "/unrestrict": the same as `/restrict off`. */
export const unrestrictDialog: Dialog = {
  id: 'unrestrict',
  commands: ['/unrestrict'],
  intent: 'unrestrict',
  beforeConsent: true,
  privateChatOnly: true,

  start: lift,
};

async function lift(turn: Turn): Promise<void> {
  if (!turn.subject?.restricted) {
    turn.say(turn.t('restrict.notRestricted'));
    return;
  }
  await turn.services.rights.liftRestriction(requester(turn));
  turn.subject = { ...turn.subject, restricted: false };
  turn.say(turn.t('restrict.lifted'));
}

import type { Dialog } from '../../src/engine/turn';
import { PROFILE_FIELD_MAX_LENGTH } from '../../src/privacy/profile-fields';

/** Longest preferred name accepted; longer input is refused, not cut. */
const MAX_NAME_LENGTH = PROFILE_FIELD_MAX_LENGTH.preferredName;

/**
 * "call me ...": keeps a preferred name with personalisation consent, uses it once without.
 *
 * No turn of this dialog is recorded in history, whatever the branch: the person's line carries
 * the name and the answer repeats it, and the profile is the one place a name lives (see
 * src/engine/steps/record-history.ts). A refused name ("too long", "not kept") stays out too, so
 * "I have not kept it" is true of the history as well.
 */
export const callMeDialog: Dialog = {
  id: 'callMe',
  commands: ['/callme'],
  intent: 'callMe',
  privateChatOnly: true,

  async start(turn, args) {
    turn.keepOutOfHistory();
    // "my name is Ana.": the full stop ends the sentence, it is not part of the name.
    const name = args
      .trim()
      .replace(/[.!?]+$/u, '')
      .trim();
    if (!name) {
      turn.say(turn.t('memory.callMeHow'));
      return;
    }
    if (name.length > MAX_NAME_LENGTH) {
      turn.say(turn.t('memory.nameTooLong', { max: MAX_NAME_LENGTH }));
      return;
    }
    if (!turn.allows('personalization')) {
      // The name is used for this one reply and then forgotten.
      const key = turn.subject?.restricted ? 'memory.restricted' : 'memory.nameNotKept';
      turn.say(`${turn.t('memory.hello', { name })} ${turn.t(key)}`);
      return;
    }
    const at = turn.now;
    const expiresAt = new Date(at.getTime() + turn.config.retention.profileMs);
    await turn.services.stores.profiles.set(turn.subjectId, 'preferredName', name, at, expiresAt);
    turn.say(`${turn.t('memory.hello', { name })} ${turn.t('memory.nameKept')}`);
  },
};

import { actionId, type Dialog } from '../../src/engine/turn';
import type { Turn } from '../../src/engine/turn';
import { normalisePhrase } from '../../src/i18n/i18n';
import { PURPOSES, type Purpose } from '../../src/privacy/purposes';
import { PURPOSE_NAME_KEYS } from '../privacy/purpose-names';
import { renderNotice } from '../consent/notice';
import { requester } from './requester';

const ID = 'object';
/** Every purpose: Discord's /object offers them all, and objecting to history is a fair request too. */
const OBJECTABLE: readonly Purpose[] = PURPOSES;

/**
 * `/object`: GDPR Art. 21. Processing for the chosen purpose stops at once: the consent for it
 * is withdrawn in the ledger (so the data kept for it is deleted) and the objection recorded.
 * For personalisation that deletion is complete: the profile is the only place a profile value
 * lives, since no history line carries or repeats one (src/engine/steps/record-history.ts).
 */
export const objectDialog: Dialog = {
  id: ID,
  commands: ['/object'],
  intent: 'object',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn, args) {
    const named = purposeNamed(turn, args);
    if (named) return object(turn, named);
    turn.say(turn.t('object.choose'), {
      actions: OBJECTABLE.map((purpose) => ({
        id: actionId(ID, 'purpose', purpose),
        label: turn.t(PURPOSE_NAME_KEYS[purpose]),
      })),
    });
  },

  async onAction(turn, verb, [purpose]) {
    const chosen = OBJECTABLE.find((candidate) => candidate === purpose);
    if (verb === 'purpose' && chosen) return object(turn, chosen);
    turn.say(turn.t('input.unknownAction'));
  },
};

/** "/object analytics" or the purpose's name in the person's language. */
function purposeNamed(turn: Turn, args: string): Purpose | undefined {
  const wanted = normalisePhrase(args);
  if (!wanted) return undefined;
  return OBJECTABLE.find(
    (purpose) =>
      purpose.toLowerCase() === wanted || normalisePhrase(turn.t(PURPOSE_NAME_KEYS[purpose])) === wanted,
  );
}

async function object(turn: Turn, purpose: Purpose): Promise<void> {
  const name = turn.t(PURPOSE_NAME_KEYS[purpose]);
  const subject = turn.subject;
  if (!turn.hasDecided || !subject?.purposes[purpose]) {
    turn.say(turn.t('object.notProcessing', { purpose: name }));
    return;
  }
  turn.subject = await turn.services.rights.object(requester(turn), purpose, () =>
    turn.services.consent.decide({
      subjectId: turn.subjectId,
      choices: (current) => ({ ...current, [purpose]: false }),
      noticeText: renderNotice(turn),
      locale: turn.locale,
      channel: turn.message.channel,
      at: turn.now,
    }),
  );
  turn.say(turn.t('object.done', { purpose: name }));
}

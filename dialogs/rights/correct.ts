import { actionId, type Dialog } from '../../src/engine/turn';
import type { Turn } from '../../src/engine/turn';
import {
  PROFILE_FIELDS,
  PROFILE_FIELD_MAX_LENGTH,
  type ProfileField,
  isProfileField,
} from '../../src/privacy/profile-fields';
import { requester } from './requester';

const ID = 'correct';

/** Spelled out so the locale-key test sees every key. */
const FIELD_NAME_KEYS: Readonly<Record<ProfileField, string>> = {
  preferredName: 'correct.fields.preferredName',
};

/**
 * `/correct`: GDPR Art. 16, CCPA right to correct. Pick a field (button, or its number where
 * buttons are missing), then type the new value. History is a record of what was said, so it
 * is deleted (/delete), not edited; it never needs editing for a correction, because no turn of
 * this dialog is recorded in it: the listing shows the stored values, the answer is the new
 * value, and a refused value would otherwise be kept in history instead of the profile. The
 * profile is the one place a value lives, so overwriting it leaves no copy behind
 * (src/engine/steps/record-history.ts).
 */
export const correctDialog: Dialog = {
  id: ID,
  commands: ['/correct'],
  intent: 'correct',
  beforeConsent: true,
  privateChatOnly: true,
  freeTextSteps: ['value'],

  async start(turn) {
    turn.keepOutOfHistory();
    const profile = await turn.services.stores.profiles.get(turn.subjectId);
    const lines = PROFILE_FIELDS.map((field, index) =>
      turn.t('correct.fieldLine', {
        number: index + 1,
        field: turn.t(FIELD_NAME_KEYS[field]),
        value: profile?.fields[field] ?? turn.t('correct.notSet'),
      }),
    );
    turn.say([turn.t('correct.intro'), ...lines, turn.t('correct.historyNote')].join('\n'), {
      actions: [
        ...PROFILE_FIELDS.map((field) => ({
          id: actionId(ID, 'field', field),
          label: turn.t(FIELD_NAME_KEYS[field]),
        })),
        { id: actionId(ID, 'cancel'), label: turn.t('correct.cancel') },
      ],
    });
    turn.waitForReply(ID, 'field');
  },

  async onAction(turn, verb, [field]) {
    turn.keepOutOfHistory();
    if (verb === 'cancel') return cancel(turn);
    if (verb === 'field' && isProfileField(field)) return askForValue(turn, field);
    turn.say(turn.t('input.unknownAction'));
  },

  async onText(turn, text) {
    turn.keepOutOfHistory();
    const step = turn.activeDialog?.step;
    const field = turn.activeDialog?.data?.field;
    if (step === 'field') {
      const chosen = PROFILE_FIELDS[Number(text.trim()) - 1];
      if (chosen) return askForValue(turn, chosen);
      turn.say(turn.t('correct.pickField'));
      return;
    }
    if (step === 'value' && isProfileField(field)) return save(turn, field, text.trim());
    turn.endDialog();
    turn.say(turn.t('input.unknownAction'));
  },
};

function askForValue(turn: Turn, field: ProfileField): void {
  // Consent, not allows(): a restricted person may still correct data kept on their consent.
  if (!turn.hasDecided || !turn.subject?.purposes.personalization) {
    turn.endDialog();
    turn.say(turn.t('correct.needsConsent'));
    return;
  }
  turn.waitForReply(ID, 'value', { field });
  turn.say(turn.t('correct.askValue', { field: turn.t(FIELD_NAME_KEYS[field]) }));
}

async function save(turn: Turn, field: ProfileField, value: string): Promise<void> {
  const max = PROFILE_FIELD_MAX_LENGTH[field];
  if (!value || value.length > max) {
    turn.say(turn.t('correct.invalid', { max }));
    return;
  }
  await turn.services.rights.correct(requester(turn), field, value);
  turn.endDialog();
  turn.say(turn.t('correct.saved', { field: turn.t(FIELD_NAME_KEYS[field]), value }));
}

function cancel(turn: Turn): void {
  turn.endDialog();
  turn.say(turn.t('correct.cancelled'));
}

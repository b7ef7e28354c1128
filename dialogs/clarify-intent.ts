import { actionId, type Dialog } from '../src/engine/turn';
import { CLARIFY_DIALOG_ID } from '../src/engine/steps/resolve-route';

/** The button label for each intent the classifier can offer. */
const OPTION_KEYS: Readonly<Record<string, string>> = {
  mydata: 'clarify.options.mydata',
  export: 'clarify.options.export',
  correct: 'clarify.options.correct',
  delete: 'clarify.options.delete',
  restrict: 'clarify.options.restrict',
  object: 'clarify.options.object',
  stop: 'clarify.options.stop',
  privacy: 'clarify.options.privacy',
  help: 'clarify.options.help',
  language: 'clarify.options.language',
};

/**
 * "Did you mean ...?": the classifier was unsure between the two intents named in `args`. Each
 * button is routed as that intent (resolve-route.ts), so the consent and private-chat gates judge
 * the chosen dialog, and erasure or withdrawal still asks for confirmation. Nothing is stored:
 * the choices ride in the button ids.
 */
export const clarifyIntentDialog: Dialog = {
  id: CLARIFY_DIALOG_ID,
  commands: [],
  // Not before consent: an undecided person's unclear message gets the notice, as before, which
  // lists every right as a command.

  async start(turn, args) {
    const offered = args.split(' ').filter((intent) => OPTION_KEYS[intent] !== undefined);
    turn.say(turn.t('clarify.question'), {
      // What someone might want done with their data is theirs: asked privately where possible.
      privateToSpeaker: true,
      actions: [
        ...offered.map((intent) => ({
          id: actionId(CLARIFY_DIALOG_ID, 'pick', intent),
          label: turn.t(OPTION_KEYS[intent]!),
        })),
        { id: actionId(CLARIFY_DIALOG_ID, 'neither'), label: turn.t('clarify.neither') },
      ],
    });
  },

  async onAction(turn, verb) {
    if (verb === 'neither') {
      turn.say(turn.t('clarify.neitherReply'), { privateToSpeaker: true });
      return;
    }
    // A pick for an intent no dialog handles any more (a button from an older version).
    turn.say(turn.t('input.unknownAction'));
  },
};

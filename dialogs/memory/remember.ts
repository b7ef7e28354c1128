import type { Dialog } from '../../src/engine/turn';

/** Tag of history lines the person asked me to remember; "what did I tell you?" finds them. */
export const NOTE_TAG = 'note';

/**
 * "remember that ...": shows what history consent is for. With it, the message is kept
 * (encrypted, by the history step) and tagged as a note; without it, nothing is kept and the
 * person is told so.
 */
export const rememberDialog: Dialog = {
  id: 'remember',
  commands: ['/remember'],
  intent: 'remember',
  privateChatOnly: true,

  async start(turn, args) {
    if (!args.trim()) {
      turn.say(turn.t('memory.rememberHow'));
      return;
    }
    if (turn.allows('history')) {
      turn.historyTag = NOTE_TAG;
      // The person's line is the note; the answer never repeats it (memory.remembered takes no
      // value), so the history holds each note once, in the person's own words.
      turn.say(turn.t('memory.remembered'));
      return;
    }
    turn.say(turn.t(turn.subject?.restricted ? 'memory.restricted' : 'memory.noHistoryConsent'));
  },
};

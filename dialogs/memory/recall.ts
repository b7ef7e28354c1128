import type { Dialog } from '../../src/engine/turn';
import type { I18n } from '../../src/i18n/i18n';
import { NOTE_TAG } from './remember';

const NOTES_SHOWN = 5;

/**
 * "what did I tell you?": reads back the latest notes (and the preferred name) from storage.
 * Never recorded in history: the reply repeats stored data, so a copy would outlive a correction
 * or objection of the name and restart the notes' expiry (src/engine/steps/record-history.ts).
 */
export const recallDialog: Dialog = {
  id: 'recall',
  commands: ['/recall'],
  intent: 'recall',
  privateChatOnly: true,

  async start(turn) {
    turn.keepOutOfHistory();
    if (!turn.allows('history')) {
      turn.say(turn.t(turn.subject?.restricted ? 'memory.restricted' : 'memory.noHistoryConsent'));
      return;
    }
    const { stores, i18n } = turn.services;
    const notes = await stores.history.recent(turn.subjectId, { limit: NOTES_SHOWN, tag: NOTE_TAG });
    const name = turn.allows('personalization')
      ? (await stores.profiles.get(turn.subjectId))?.fields.preferredName
      : undefined;
    const lines = notes.reverse().map((note) => `• ${noteText(note.text, i18n)}`);
    const parts = [
      ...(name ? [turn.t('memory.yourName', { name })] : []),
      lines.length > 0 ? `${turn.t('memory.recallIntro')}\n${lines.join('\n')}` : turn.t('memory.nothingYet'),
    ];
    turn.say(parts.join('\n\n'));
  },
};

/**
 * The note without the words that asked for it: "/remember x" and "remember that x" both give "x".
 * Adapters hand the engine commands without the bot's name ("/remember@ThisBot" arrives as
 * "/remember"), and history keeps the text as the engine saw it.
 */
function noteText(said: string, i18n: I18n): string {
  const command = /^\/remember\s+/i.exec(said);
  if (command) return said.slice(command[0].length);
  return i18n.matchIntent(said)?.args || said;
}

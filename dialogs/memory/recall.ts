import type { Dialog } from '../../src/engine/dialog';
import { NOTE_TAG } from './remember';

const NOTES_SHOWN = 5;

/** "what did I tell you?": reads back the latest notes (and the preferred name) from storage. */
export const recallDialog: Dialog = {
  id: 'recall',
  commands: ['/recall'],
  intent: 'recall',
  privateChatOnly: true,

  async start(turn) {
    if (!turn.allows('history')) {
      turn.say(turn.t(turn.subject?.restricted ? 'memory.restricted' : 'memory.noHistoryConsent'));
      return;
    }
    const { stores, i18n } = turn.services;
    const notes = await stores.history.recent(turn.subjectId, { limit: NOTES_SHOWN, tag: NOTE_TAG });
    const name = turn.allows('personalization')
      ? (await stores.profiles.get(turn.subjectId))?.fields.preferredName
      : undefined;
    const lines = notes.reverse().map((note) => `• ${i18n.matchIntent(note.text)?.args ?? note.text}`);
    const parts = [
      ...(name ? [turn.t('memory.yourName', { name })] : []),
      lines.length > 0 ? `${turn.t('memory.recallIntro')}\n${lines.join('\n')}` : turn.t('memory.nothingYet'),
    ];
    turn.say(parts.join('\n\n'));
  },
};

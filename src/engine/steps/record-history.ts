import { errorCode } from '../../core/errors';
import type { Next } from '../../core/pipeline';
import type { HistoryEntryInput } from '../../storage/ports';
import type { Turn } from '../turn';
import { logId } from '../../logging/log-id';

/**
 * Keeps the person's typed message and the bot's text replies, encrypted, when (and only when)
 * the person allows history after the dialog ran: a turn that withdrew consent, restricted
 * processing or erased everything stores nothing. In a group only the speaker's own message is
 * kept, under the speaker's id. If the KMS or the database fails, the answer still goes out, with
 * a note that it was not saved; nothing is written in clear.
 *
 * Replies that repeat stored data are never recorded, and neither are the lines that set a
 * profile value: a dialog that reads or writes the profile, or reads history back, calls
 * turn.keepOutOfHistory() for every turn it handles ("call me ..." and its answer, every /correct
 * turn, the recall reply). The profile is then the one place a name lives, so a correction
 * (overwrite), an objection or withdrawal (delete) or an erasure of the profile is complete by
 * construction, on every backend, with no port for finding or rewriting history lines. The
 * alternative, replacing or removing the history lines that carry a value, was rejected: it has to
 * find a value inside free text (a name is a substring of other words, and the person may have
 * typed it in another form or language), every correction would decrypt the whole history, and a
 * missed line is a silent leak into /export; a copy of a note in a recall reply would also restart
 * the note's expiry. What stays history by design is what the person said in their own words:
 * a note ("remember that ...") is their line, tagged, and the answer to it never repeats it.
 */
export async function recordHistory(turn: Turn, next: Next): Promise<void> {
  await next();
  if (!turn.allows('history') || turn.historyExcluded) return;
  const at = turn.now;
  const entries = historyOf(turn, at);
  if (entries.length === 0) return;
  const expiresAt = new Date(at.getTime() + turn.config.retention.historyMs);
  try {
    await turn.services.stores.history.append(entries, expiresAt);
  } catch (error) {
    turn.services.logger.warn(
      { subject: logId(turn.subjectId), code: errorCode(error) },
      'history not saved',
    );
    turn.say(turn.t('history.notSaved'));
  }
}

function historyOf(turn: Turn, at: Date): HistoryEntryInput[] {
  const base = { subjectId: turn.subjectId, conversationId: turn.conversationId, at };
  const entries: HistoryEntryInput[] = [];
  const typed = turn.message.text?.trim();
  if (typed && !turn.message.action) {
    entries.push({
      ...base,
      speaker: 'person',
      text: typed,
      ...(turn.historyTag && { tag: turn.historyTag }),
    });
  }
  for (const reply of turn.replies) {
    if (reply.kind === 'text' && reply.text) entries.push({ ...base, speaker: 'bot', text: reply.text });
  }
  return entries;
}

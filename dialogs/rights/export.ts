import type { Dialog } from '../../src/engine/turn';
import { requester } from './requester';

/**
 * `/export`: GDPR Art. 15(3) and 20. A JSON file (format in README.md, "Export format") through
 * the Channel port, with a short summary. Limited per person per day, because each export
 * decrypts everything and a stolen session should not be able to pull it in a loop.
 */
export const exportDialog: Dialog = {
  id: 'export',
  commands: ['/export'],
  intent: 'export',
  beforeConsent: true,
  privateChatOnly: true,

  async start(turn) {
    const { rights, config } = turn.services;
    if (await rights.exportLimitReached(turn.subjectId)) {
      turn.say(turn.t('export.limited', { count: config.limits.exportsPerDay }));
      return;
    }
    const result = await rights.exportFile(requester(turn));
    const day = turn.now.toISOString().slice(0, 10);
    turn.say(turn.t('export.ready', { count: result.historyCount }), {
      file: { name: `my-data-${day}.json`, mime: 'application/json', bytes: result.bytes },
    });
  },
};

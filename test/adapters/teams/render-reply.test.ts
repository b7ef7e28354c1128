import { renderReply, type FileParking, type ReplyScope } from '../../../adapters/teams/render-reply';
import { textReply } from '../../../src/core/messages';
import type { PendingFile } from '../../../adapters/teams/pending-files';

const file = { name: 'export.json', mime: 'application/json', bytes: Buffer.from('{"a":1}') };
const personalTeams: ReplyScope = {
  conversationKey: 'c-1',
  isPrivateChat: true,
  isTeamsClient: true,
  locale: 'fr-FR',
};

function parking(): FileParking & { parked: PendingFile[] } {
  const parked: PendingFile[] = [];
  return {
    parked,
    put: (pending) => {
      parked.push(pending);
      return `pending-${parked.length}`;
    },
  };
}

describe('renderReply', () => {
  it('renders typing as a typing activity', () => {
    expect(renderReply({ kind: 'typing' }, personalTeams, parking())).toEqual([{ type: 'typing' }]);
  });

  it('sends nothing for an empty text without actions or file', () => {
    expect(renderReply(textReply(''), personalTeams, parking())).toEqual([]);
  });

  it('puts the text and every button into one Adaptive Card, even past three buttons', () => {
    const actions = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id: `menu:${id}`, label: id.toUpperCase() }));
    const [activity] = renderReply(
      textReply('Menu', { actions }),
      { ...personalTeams, isPrivateChat: false },
      parking(),
    );
    const card = activity!.attachments![0]!.content as { actions: unknown[]; fallbackText: string };
    expect(card.actions).toHaveLength(5);
    expect(card.actions[4]).toEqual({ type: 'Action.Submit', title: 'E', data: { action: 'menu:e' } });
    expect(card.fallbackText).toBe('Menu');
  });

  it('parks a file behind a consent card in a Teams personal chat', () => {
    const store = parking();
    const activities = renderReply(textReply('Voici', { file }), personalTeams, store);
    expect(store.parked).toEqual([{ conversationKey: 'c-1', ...file }]);
    expect(activities[1]!.attachments![0]).toEqual({
      contentType: 'application/vnd.microsoft.teams.card.file.consent',
      name: 'export.json',
      content: {
        description: 'export.json',
        sizeInBytes: file.bytes.length,
        acceptContext: { pendingFileId: 'pending-1' },
        declineContext: { pendingFileId: 'pending-1' },
      },
    });
  });

  it('withholds a file in a group conversation, in the person’s language', () => {
    const store = parking();
    const activities = renderReply(
      textReply('Voici', { file }),
      { ...personalTeams, isPrivateChat: false },
      store,
    );
    expect(store.parked).toHaveLength(0);
    expect(activities[1]).toEqual({ type: 'message', text: expect.stringMatching(/chat personnel/) });
  });
});

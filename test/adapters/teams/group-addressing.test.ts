import { textReply } from '../../../src/core/messages';
import { CHANNEL, GROUP, PERSONAL, buttonPress, groupMention, message } from './activities';
import { useTeamsHarness } from './harness';

/**
 * Issue 12, defect 1: in channels and group chats only what is addressed to the bot reaches the
 * engine (PRIVACY-RULES "Groups and channels"). Teams delivers only @mentions unless the app holds
 * resource-specific consent to read everything; the adapter must not rely on that.
 */
describe('TeamsChannel in channels and group chats', () => {
  const teams = useTeamsHarness({}, () => [textReply('Antwort')]);

  it.each([
    ['a group chat', GROUP],
    ['a channel', CHANNEL],
  ])('ignores a message in %s that does not mention the bot', async (_label, conversation) => {
    for (const text of ['stop', 'abmelden', 'my spare key is under the flower pot']) {
      const response = await teams.post(message(teams.serviceUrl, text, { conversation }));
      expect(response.status).toBe(200);
    }
    expect(teams.received).toEqual([]);
    expect(teams.connector.activities).toEqual([]);
  });

  it('ignores a message that mentions someone else, not the bot', async () => {
    const ana = { id: '29:ana', name: 'Ana' };
    await teams.post(
      message(teams.serviceUrl, '<at>Ana</at> stop', {
        conversation: GROUP,
        entities: [{ type: 'mention', text: '<at>Ana</at>', mentioned: ana }],
      }),
    );
    expect(teams.received).toEqual([]);
  });

  it('passes on a channel message that mentions the bot, without the mention', async () => {
    await teams.post(groupMention(teams.serviceUrl, 'privacy', CHANNEL));
    expect(teams.received).toHaveLength(1);
    expect(teams.received[0]).toMatchObject({
      conversationKey: CHANNEL.id,
      text: '/privacy',
      isPrivateChat: false,
    });
    expect(teams.connector.sentTo(CHANNEL.id).map((sent) => sent.text)).toEqual(['Antwort']);
  });

  it('passes on a press of one of its buttons in a group, which carries no mention', async () => {
    await teams.post(buttonPress(teams.serviceUrl, { action: 'consent:accept' }, { conversation: GROUP }));
    expect(teams.received.map((incoming) => incoming.action)).toEqual(['consent:accept']);
  });

  it('ignores a foreign card payload in a group', async () => {
    await teams.post(buttonPress(teams.serviceUrl, { verb: 'other' }, { conversation: GROUP }));
    expect(teams.received).toEqual([]);
  });

  it('still passes on everything in a personal chat, mention or not', async () => {
    await teams.post(message(teams.serviceUrl, 'abmelden', { conversation: PERSONAL }));
    await teams.post(message(teams.serviceUrl, 'hallo', { conversation: PERSONAL, entities: [] }));
    expect(teams.received.map((incoming) => incoming.text)).toEqual(['abmelden', 'hallo']);
    expect(teams.received.every((incoming) => incoming.isPrivateChat)).toBe(true);
  });
});

import { cleanupStack } from '../../support/cleanup-stack';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * An unknown command is answered, but what the person typed is repeated only to them: in a group
 * the bot would otherwise post any text (a link dressed as a button, a slur) under its own name.
 */
let testApp: TestApp;
const onCleanup = cleanupStack();

beforeEach(async () => {
  testApp = await startTestApp();
  onCleanup(() => testApp.db.drop());
});

const hostile = '/[Reset](https://evil.example)';

describe('unknown command', () => {
  it.each(['telegram', 'discord', 'teams'] as const)(
    'in a %s group gets a reply that does not repeat the text',
    async (channel) => {
      const replies = await testApp
        .chat('ana', { channel, isPrivateChat: false, conversationKey: 'group-1' })
        .send(hostile);
      const t = testApp.app.services.i18n.translator('en');
      expect(replies.map((reply) => reply.text)).toEqual([t('input.unknownCommandInGroup')]);
      expect(JSON.stringify(replies)).not.toMatch(/evil|reset/i);
    },
  );

  it('in a private chat names the command, so the person sees what was not understood', async () => {
    const [reply] = await testApp
      .chat('ana', { channel: 'telegram', isPrivateChat: true })
      .send('/frobnicate');
    expect(reply?.text).toBe(
      testApp.app.services.i18n.translator('en')('input.unknownCommand', { command: '/frobnicate' }),
    );
  });
});

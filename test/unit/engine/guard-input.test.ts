import type { ChannelName } from '../../../src/core/messages';
import { cleanupStack } from '../../support/cleanup-stack';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * The length guard, with the real engine: a message the platform itself delivered is never
 * refused as too long, and anything longer gets the clear reply (and is not kept).
 */
let testApp: TestApp;
const onCleanup = cleanupStack();

beforeEach(async () => {
  testApp = await startTestApp();
  onCleanup(() => testApp.db.drop());
});

async function replyTo(channel: ChannelName, text: string): Promise<string> {
  const [first] = await testApp.chat('ana', { channel, isPrivateChat: true }).send(text);
  return first?.text ?? '';
}

const tooLong = (length: number, max: number) =>
  testApp.app.services.i18n.translator('en')('input.tooLong', { length, max });

describe('guard input: message length per channel', () => {
  it.each([
    ['telegram', 4096],
    ['discord', 4000],
    ['teams', 28 * 1024],
    ['console', 4000],
  ] as const)(
    'on %s accepts %i characters and refuses one more with the clear reply',
    async (channel, max) => {
      expect(await replyTo(channel, 'a'.repeat(max))).not.toMatch(/too long/);
      expect(await replyTo(channel, 'a'.repeat(max + 1))).toBe(tooLong(max + 1, max));
    },
  );

  it('counts characters, not UTF-16 units: 4096 emoji are a valid Telegram message', async () => {
    expect(await replyTo('telegram', '🙂'.repeat(4096))).not.toMatch(/too long/);
    expect(await replyTo('telegram', '🙂'.repeat(4097))).toBe(tooLong(4097, 4096));
  });

  it('never lowers a limit below MAX_MESSAGE_CHARS, which alone bounds the terminal', async () => {
    const raised = await startTestApp({ MAX_MESSAGE_CHARS: '5000' });
    onCleanup(() => raised.db.drop());
    const say = async (channel: ChannelName, text: string) =>
      (await raised.chat('bo', { channel }).send(text))[0]?.text ?? '';
    expect(await say('telegram', 'a'.repeat(5000))).not.toMatch(/too long/);
    expect(await say('console', 'a'.repeat(5000))).not.toMatch(/too long/);
    expect(await say('console', 'a'.repeat(5001))).toMatch(/too long/);
  });
});

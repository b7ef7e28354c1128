import { normaliseCommand, toIncoming } from '../../../adapters/telegram/to-incoming';

const context = {
  bot: { username: 'PrivacyTestBot', id: 7000001 },
  now: new Date(0),
  resolveAction: (data: string) => data,
};

describe('normaliseCommand', () => {
  it.each([
    ['/privacy@PrivacyTestBot', '/privacy'],
    ['/privacy@privacytestbot now', '/privacy now'],
    ['/PRIVACY', '/privacy'],
    ['/start deep-link-payload', '/start deep-link-payload'],
    ['hello /privacy', 'hello /privacy'],
    ['/privacy@PrivacyTestBotX', undefined],
  ])('%j becomes %j', (text, expected) => {
    expect(normaliseCommand(text, 'PrivacyTestBot')).toBe(expected);
  });
});

describe('toIncoming', () => {
  it('treats a message without a chat as malformed', () => {
    const update = { update_id: 1, message: { date: 1, from: { id: 2 }, text: 'x' } };
    expect(toIncoming(update, context)).toEqual({ kind: 'malformed' });
  });

  it('still hands back the id of a malformed button press so it can be answered', () => {
    const update = {
      update_id: 1,
      callback_query: { id: 'q1', data: 'menu', message: { chat: { id: 3, type: 'private' } } },
    };
    expect(toIncoming(update, context)).toEqual({ kind: 'malformed', callbackQueryId: 'q1' });
  });

  it('dates a button press with the time it arrived', () => {
    const now = new Date('2026-11-05T10:00:00Z');
    const update = {
      update_id: 1,
      callback_query: {
        id: 'q1',
        from: { id: 2 },
        data: 'menu',
        message: { chat: { id: 2, type: 'private' } },
      },
    };
    const mapped = toIncoming(update, { ...context, now });
    expect(mapped.kind === 'turn' && mapped.message.receivedAt).toEqual(now);
  });
});

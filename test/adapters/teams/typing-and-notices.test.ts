import { setTimeout as sleep } from 'node:timers/promises';
import { notice, type NoticeKey } from '../../../adapters/teams/notices';
import { withTypingIndicator } from '../../../adapters/teams/typing-indicator';

describe('withTypingIndicator', () => {
  it('returns the result of work and keeps going when an indicator fails', async () => {
    const errors: unknown[] = [];
    let attempts = 0;
    const result = await withTypingIndicator(
      async () => {
        await sleep(80);
        return 'done';
      },
      {
        sendTyping: () => {
          attempts += 1;
          return Promise.reject(new Error('connector down'));
        },
        delayMs: 10,
        periodMs: 20,
        onError: (error) => errors.push(error),
      },
    );
    expect(result).toBe('done');
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(attempts);
  });

  it('waits for an indicator in flight and sends none after the work ended', async () => {
    const events: string[] = [];
    await withTypingIndicator(
      async () => {
        await sleep(15);
        events.push('work done');
      },
      {
        sendTyping: async () => {
          events.push('typing started');
          await sleep(30);
          events.push('typing sent');
        },
        delayMs: 5,
        periodMs: 5,
        onError: () => undefined,
      },
    );
    events.push('returned');
    await sleep(40);
    expect(events).toEqual(['typing started', 'work done', 'typing sent', 'returned']);
  });

  it('rethrows the failure of work', async () => {
    await expect(
      withTypingIndicator(() => Promise.reject(new Error('boom')), {
        sendTyping: () => Promise.resolve(),
        delayMs: 1000,
        periodMs: 1000,
        onError: () => undefined,
      }),
    ).rejects.toThrow('boom');
  });
});

describe('notice', () => {
  const keys: NoticeKey[] = [
    'turnFailed',
    'exportDeclined',
    'exportExpired',
    'exportFailed',
    'exportPersonalOnly',
    'privateReplyPointer',
    'actionReceived',
  ];

  it.each(['de-DE', 'es-ES', 'fr-CA'])('has its own wording for every key in %s', (locale) => {
    for (const key of keys) {
      expect(notice(key, locale)).not.toBe('');
      expect(notice(key, locale)).not.toBe(notice(key, 'en'));
    }
  });

  it.each([undefined, 'pt-BR', 42])('falls back to English for %p', (locale) => {
    expect(notice('turnFailed', locale)).toBe(notice('turnFailed', 'en-US'));
  });
});

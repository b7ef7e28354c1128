import { ActionTokens, CALLBACK_DATA_MAX_BYTES } from '../../../adapters/telegram/action-tokens';

describe('ActionTokens', () => {
  it('sends an id that fits unchanged, so any instance can serve the press', () => {
    const tokens = new ActionTokens();
    expect(tokens.toCallbackData('consent:history:grant')).toEqual({
      data: 'consent:history:grant',
      minted: false,
    });
    expect(tokens.fromCallbackData('consent:history:grant')).toBe('consent:history:grant');
  });

  it('measures the limit in bytes, not characters', () => {
    const tokens = new ActionTokens();
    const id = 'ü'.repeat(40); // 40 characters, 80 bytes
    const { data, minted } = tokens.toCallbackData(id);
    expect(minted).toBe(true);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    expect(tokens.fromCallbackData(data)).toBe(id);
  });

  it('reuses one token for the same long id', () => {
    const tokens = new ActionTokens();
    const id = 'x'.repeat(100);
    const first = tokens.toCallbackData(id);
    expect(tokens.toCallbackData(id)).toEqual({ data: first.data, minted: false });
  });

  it('forgets the oldest tokens beyond its capacity', () => {
    const tokens = new ActionTokens(2);
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => tokens.toCallbackData(letter.repeat(70)).data);
    expect(tokens.fromCallbackData(a!)).toBeUndefined();
    expect(tokens.fromCallbackData(b!)).toBe('b'.repeat(70));
    expect(tokens.fromCallbackData(c!)).toBe('c'.repeat(70));
  });

  it('does not let a short id that looks like a token pass as one', () => {
    const tokens = new ActionTokens();
    const { data } = tokens.toCallbackData('~t:short');
    expect(data).not.toBe('~t:short');
    expect(tokens.fromCallbackData(data)).toBe('~t:short');
  });
});

import {
  ButtonIdCodec,
  DISCORD_CUSTOM_ID_MAX_CHARS,
  STALE_BUTTON_ACTION,
  TELEGRAM_CALLBACK_DATA_MAX_BYTES,
} from '../../adapters/button-ids';

/** The one button-id scheme of every channel with a limit (Telegram callback_data, Discord custom_id). */
describe.each([
  ['Telegram', TELEGRAM_CALLBACK_DATA_MAX_BYTES],
  ['Discord', DISCORD_CUSTOM_ID_MAX_CHARS],
])('ButtonIdCodec for %s (limit %i)', (_platform, limit) => {
  it('sends an id that fits unchanged, so any instance can serve the press', () => {
    const codec = new ButtonIdCodec(limit);
    expect(codec.encode('consent:history:grant')).toEqual({ id: 'consent:history:grant', minted: false });
    expect(codec.decode('consent:history:grant')).toBe('consent:history:grant');
  });

  it('measures the limit in bytes, and a token always fits', () => {
    const codec = new ButtonIdCodec(limit);
    const id = 'ü'.repeat(limit / 2 + 1); // fits in characters, not in bytes
    const { id: sent, minted } = codec.encode(id);
    expect(minted).toBe(true);
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(limit);
    expect(codec.decode(sent)).toBe(id);
  });

  it('reuses one token for the same long id', () => {
    const codec = new ButtonIdCodec(limit);
    const first = codec.encode('x'.repeat(limit + 1));
    expect(codec.encode('x'.repeat(limit + 1))).toEqual({ id: first.id, minted: false });
  });

  it('forgets the least recently used tokens beyond its capacity; a forgotten one is a stale press', () => {
    const codec = new ButtonIdCodec(limit, 2);
    const [a, b] = ['a', 'b'].map((letter) => codec.encode(letter.repeat(limit + 1)).id);
    codec.encode('a'.repeat(limit + 1)); // used again: now the most recent
    const c = codec.encode('c'.repeat(limit + 1)).id;
    expect(codec.decode(b!)).toBe(STALE_BUTTON_ACTION);
    expect(codec.decode(a!)).toBe('a'.repeat(limit + 1));
    expect(codec.decode(c)).toBe('c'.repeat(limit + 1));
  });

  it('does not let a short id that looks like a token pass as one, and a forged token is stale', () => {
    const codec = new ButtonIdCodec(limit);
    const { id } = codec.encode('~short');
    expect(id).not.toBe('~short');
    expect(codec.decode(id)).toBe('~short');
    expect(codec.decode('~forged-token')).toBe(STALE_BUTTON_ACTION);
  });
});

it('refuses a limit no token fits in', () => {
  expect(() => new ButtonIdCodec(16)).toThrow(RangeError);
});

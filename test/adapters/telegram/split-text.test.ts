import { TELEGRAM_TEXT_LIMIT, splitText } from '../../../adapters/telegram/split-text';

describe('splitText', () => {
  it('leaves a text within the limit whole', () => {
    const text = 'a'.repeat(TELEGRAM_TEXT_LIMIT);
    expect(splitText(text)).toEqual([text]);
  });

  it('prefers a line break, then a space, dropping the separator', () => {
    expect(splitText('aaaa bb\ncccc', 9)).toEqual(['aaaa bb', 'cccc']);
    expect(splitText('aaaaaa bbbbbb', 9)).toEqual(['aaaaaa', 'bbbbbb']);
  });

  it('cuts hard when no separator is in the second half of the window', () => {
    expect(splitText('a bbbbbbbbbbbb', 6)).toEqual(['a bbbb', 'bbbbbb', 'bb']);
  });

  it('never cuts between the two halves of an emoji', () => {
    const parts = splitText(`abcd${'🔒'.repeat(3)}`, 5);
    expect(parts.join('')).toBe(`abcd${'🔒'.repeat(3)}`);
    for (const part of parts) expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('drops blank parts Telegram would refuse as empty', () => {
    expect(splitText('')).toEqual([]);
    expect(splitText(`abc\n${' '.repeat(10)}`, 5)).toEqual(['abc']);
  });
});

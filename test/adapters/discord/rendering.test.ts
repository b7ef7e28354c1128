import { ButtonIdCodec, DISCORD_CUSTOM_ID_MAX_CHARS } from '../../../adapters/button-ids';
import { MAX_CONTENT_LENGTH, renderTextReply, splitText } from '../../../adapters/discord/rendering';
import { textReply } from '../../../src/core/messages';

function actions(count: number) {
  return Array.from({ length: count }, (_, index) => ({ id: `a${index}`, label: `Option ${index}` }));
}

function rowsOf(payload: { components?: { toJSON(): { components: unknown[] } }[] } | undefined): number[] {
  return (payload?.components ?? []).map((row) => row.toJSON().components.length);
}

describe('Discord rendering', () => {
  it('puts at most 5 buttons in a row and 5 rows in a message, continuing in another message', () => {
    const payloads = renderTextReply(
      textReply('Choose', { actions: actions(27) }),
      new ButtonIdCodec(DISCORD_CUSTOM_ID_MAX_CHARS),
    );
    expect(payloads).toHaveLength(2);
    expect(payloads[0]?.content).toBe('Choose');
    expect(rowsOf(payloads[0])).toEqual([5, 5, 5, 5, 5]);
    expect(payloads[1]?.content).toBeUndefined();
    expect(rowsOf(payloads[1])).toEqual([2]);
  });

  it('drops a repeated action id, which Discord would refuse, and shortens long labels', () => {
    const [payload] = renderTextReply(
      textReply('x', {
        actions: [
          { id: 'same', label: 'L'.repeat(120) },
          { id: 'same', label: 'again' },
        ],
      }),
      new ButtonIdCodec(DISCORD_CUSTOM_ID_MAX_CHARS),
    );
    const buttons = payload?.components?.[0]?.toJSON().components as { label: string }[];
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.label.length).toBeLessThanOrEqual(80);
  });

  it('renders a file without text as a message with only the attachment', () => {
    const payloads = renderTextReply(
      textReply('', { file: { name: 'a.json', mime: 'application/json', bytes: Buffer.from('{}') } }),
      new ButtonIdCodec(DISCORD_CUSTOM_ID_MAX_CHARS),
    );
    expect(payloads).toHaveLength(1);
    expect(payloads[0]?.content).toBeUndefined();
    expect(payloads[0]?.files?.[0]?.name).toBe('a.json');
  });

  it('renders nothing for an empty reply', () => {
    expect(renderTextReply(textReply(''), new ButtonIdCodec(DISCORD_CUSTOM_ID_MAX_CHARS))).toEqual([]);
  });

  it('splits at a line break or space and never inside a surrogate pair', () => {
    expect(splitText('aaaa bbbb\ncccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    const emoji = '😀'.repeat(1500); // 3,000 UTF-16 units, no spaces
    const pieces = splitText(emoji, MAX_CONTENT_LENGTH);
    expect(pieces.every((piece) => piece.length <= MAX_CONTENT_LENGTH)).toBe(true);
    expect(pieces.join('')).toBe(emoji);
    expect(pieces.every((piece) => !/^[\udc00-\udfff]/.test(piece))).toBe(true);
  });
});

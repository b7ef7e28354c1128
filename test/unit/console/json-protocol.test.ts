import { formatReply, parseLine } from '../../../adapters/console/json-protocol';
import { pressedAction } from '../../../adapters/console/tty-renderer';

describe('terminal JSON protocol', () => {
  it('reads plain text and JSON lines', () => {
    expect(parseLine('hello')).toEqual({ ok: true, line: { text: 'hello' } });
    expect(parseLine('{"action":"consent:all:en","user":"ana","locale":"de"}')).toEqual({
      ok: true,
      line: { action: 'consent:all:en', user: 'ana', locale: 'de' },
    });
    expect(parseLine('{ not json')).toEqual({ ok: true, line: { text: '{ not json' } });
  });

  it('rejects JSON lines of the wrong shape with a reason', () => {
    const parsed = parseLine('{"text": 5}');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/text/);
    expect(parseLine('{"txt":"hi"}').ok).toBe(false);
  });

  it('names what is wrong with a line without repeating what was typed in it', () => {
    const parsed = parseLine('{"text": "hi", "my locker code is 4711": 1, "user": 42}');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toMatch(/unrecognized_keys/);
    expect(parsed.error).toMatch(/user: invalid_type/);
    expect(parsed.error).not.toMatch(/4711|locker/);
  });

  it('writes one JSON object per reply, with actions and files', () => {
    const line = formatReply('ana', {
      kind: 'text',
      text: 'hi',
      actions: [{ id: 'a:b', label: 'B' }],
      file: { name: 'x.json', mime: 'application/json', bytes: Buffer.from('{}') },
    });
    expect(JSON.parse(line!)).toEqual({
      user: 'ana',
      text: 'hi',
      actions: [{ id: 'a:b', label: 'B' }],
      file: { name: 'x.json', mime: 'application/json', base64: Buffer.from('{}').toString('base64') },
    });
    expect(formatReply('ana', { kind: 'typing' })).toBeUndefined();
  });

  it('lets a terminal user press a button by number or label', () => {
    const offered = [
      { id: 'consent:all:en', label: 'Accept all' },
      { id: 'consent:none:en', label: 'No thanks' },
    ];
    expect(pressedAction('2', offered)?.id).toBe('consent:none:en');
    expect(pressedAction('accept all', offered)?.id).toBe('consent:all:en');
    expect(pressedAction('3', offered)).toBeUndefined();
    expect(pressedAction('maybe', offered)).toBeUndefined();
  });
});

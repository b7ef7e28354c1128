import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { ConsoleChannel } from '../../adapters/console/console-channel';
import { formatReply, parseLine } from '../../adapters/console/json-protocol';
import type { IncomingMessage, OutgoingMessage } from '../../src/core/messages';
import { FUZZ_TIMEOUT_MS, assertAsyncProperty, assertProperty } from './fuzz-config';
import { hostileText, sometimes, withoutUndefined, wrongType } from './hostile';
import { problemsOf } from './neutral-message';

/**
 * Issue 12, item 8: the terminal channel's `--json` protocol (adapters/console/json-protocol.ts,
 * one stdin line per message) under hostile lines: not JSON, almost JSON, JSON with missing,
 * extra or wrongly typed fields, huge, control and bidi text. The line names who speaks (`user`),
 * so the property here is that the speaker is exactly the one the line names, and that a
 * refused line's error (which goes to the log) never repeats what the line said.
 */

const DEFAULT_USER = 'local-user';

/** A script line as an object, any field possibly missing, of the wrong type, or extra. */
const scriptObject = fc
  .record({
    text: sometimes(fc.oneof(hostileText(40), wrongType), 1.5),
    action: sometimes(fc.oneof(hostileText(20), wrongType), 4),
    user: sometimes(fc.oneof(hostileText(20), fc.string({ minLength: 190, maxLength: 210 }), wrongType), 1.5),
    locale: sometimes(
      fc.oneof(fc.constantFrom('de-DE', 'fr', 'x', 'e'.repeat(40)), hostileText(6), wrongType),
      3,
    ),
    extra: sometimes(hostileText(10), 8),
  })
  .map(withoutUndefined);

const line = fc.oneof(
  { weight: 3, arbitrary: hostileText(60) },
  { weight: 4, arbitrary: scriptObject.map((object) => JSON.stringify(object)) },
  // Almost JSON: cut short, padded, or a brace typed by a person.
  {
    weight: 1,
    arbitrary: fc
      .tuple(scriptObject, fc.nat(), fc.constantFrom('', ' ', '\t', '}', ',', 'x'))
      .map(([object, cut, pad]) => {
        const json = JSON.stringify(object);
        return ` ${json.slice(0, 1 + (cut % json.length))}${pad}`;
      }),
  },
);

/** What a line says, if it is a JSON object: the values whose echo would leak what was typed. */
function valuesOf(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.trim());
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

describe('terminal --json protocol under hostile lines (issue 12, item 8)', () => {
  it(
    'parses every line without throwing: plain text verbatim, an object line exactly as it says',
    () =>
      assertProperty('console: parse', 300, line, (raw) => {
        const parsed = parseLine(raw);
        const object = raw.trim().startsWith('{') ? valuesOf(raw) : undefined;
        if (!object) {
          // Not an object (or not JSON at all): it is what the person typed.
          if (parsed.ok) expect(parsed.line).toEqual({ text: raw });
          return false;
        }
        if (!parsed.ok) return false;
        // The speaker is the one the line names, never any other field.
        expect(parsed.line.user).toBe(object.user);
        expect(parsed.line.text).toBe(object.text);
        expect(parsed.line.action).toBe(object.action);
        return true;
      }),
    FUZZ_TIMEOUT_MS,
  );

  it(
    'refuses a bad object line with an error that repeats none of its values',
    () =>
      assertProperty('console: errors', 300, line, (raw) => {
        const parsed = parseLine(raw);
        const object = valuesOf(raw);
        if (parsed.ok || !object) return false;
        const said = Object.values(object).filter(
          (value): value is string => typeof value === 'string' && value.trim().length >= 4,
        );
        for (const value of said) expect(parsed.error).not.toContain(value);
        return said.length > 0;
      }),
    FUZZ_TIMEOUT_MS,
  );

  it(
    'writes each reply as one JSON line naming the speaker, whatever the text',
    () =>
      assertProperty('console: format', 300, fc.tuple(hostileText(20), hostileText(80)), ([user, text]) => {
        const reply: OutgoingMessage = {
          kind: 'text',
          text,
          actions: [{ id: 'consent:all:en', label: text }],
        };
        const json = formatReply(user, reply)!;
        expect(json).not.toMatch(/[\n\r]/);
        expect(JSON.parse(json)).toMatchObject({ user, text });
        return true;
      }),
    FUZZ_TIMEOUT_MS,
  );

  it(
    'through the channel: each turn is spoken by the line’s user (or the default), in a private chat',
    async () => {
      // Lines as a script writes them: one per line, so no line breaks inside.
      const scriptLines = fc.array(
        line.map((raw) => raw.replace(/[\r\n\u2028\u2029\u0085]/g, ' ')),
        { minLength: 1, maxLength: 8 },
      );
      await assertAsyncProperty('console: channel', 60, scriptLines, async (lines) => {
        await throughChannel(lines);
        return true;
      });
    },
    FUZZ_TIMEOUT_MS,
  );
});

/** Runs the lines through a real ConsoleChannel in json mode and checks every turn and reply. */
async function throughChannel(lines: readonly string[]): Promise<void> {
  const input = new PassThrough();
  let stdout = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stdout += chunk.toString();
      done();
    },
  });
  const channel = new ConsoleChannel({
    mode: 'json',
    input,
    output,
    logger: pino({ level: 'silent' }),
    downloadDir: '/nonexistent',
  });
  const turns: IncomingMessage[] = [];
  await channel.start(async (message) => {
    turns.push(message);
    return [{ kind: 'text', text: `echo ${message.text ?? message.action ?? ''}` }];
  });
  input.end(`${lines.join('\n')}\n`);
  await channel.finished;

  const expected = lines
    .map((raw) => parseLine(raw))
    .filter((parsed) => parsed.ok)
    .map((parsed) => (parsed.ok ? (parsed.line.user ?? DEFAULT_USER) : ''));
  expect(turns.map((turn) => turn.userKey)).toEqual(expected);
  for (const turn of turns) {
    expect(problemsOf(turn)).toEqual([]);
    expect(turn).toMatchObject({ channel: 'console', conversationKey: turn.userKey, isPrivateChat: true });
  }
  const written = stdout.split('\n').filter(Boolean);
  expect(written.map((json) => (JSON.parse(json) as { user: string }).user)).toEqual(expected);
}

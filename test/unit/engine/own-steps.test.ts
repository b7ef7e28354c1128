import { createLogger } from '../../../src/logging/logger';
import { ADULT_ACCEPTS_ALL, type TestApp, appPerTest } from '../../support/test-app';

/**
 * A forker's own step (`engine.use`) runs after the privacy gates and before the dialogs, and a
 * turn that outlives TURN_TIME_LIMIT_MS gets an apology in the person's language, logged by code.
 */

const startApp = appPerTest();
const logLines: string[] = [];

afterEach(() => {
  logLines.length = 0;
});

function start(env: Record<string, string> = {}): Promise<TestApp> {
  return startApp(env, undefined, {
    logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }),
  });
}

describe('engine.use(step)', () => {
  it('answers after consent, leaves other turns to the dialogs, and its exchange is kept in history', async () => {
    const { app, chat, db } = await start();
    const seen: string[] = [];
    app.engine.use(async (turn, next) => {
      seen.push(turn.route.kind);
      if (turn.route.kind === 'fallback' && /opening hours/i.test(turn.route.text)) {
        turn.say('We are open from 9 to 5.');
        return;
      }
      await next();
    });
    const ana = chat('ana');

    // Before any consent decision the consent gate answers; the forker's step never sees the turn.
    const first = await ana.send('what are your opening hours?');
    expect(first.map((reply) => reply.text).join('\n')).not.toContain('open from 9');
    expect(seen).toEqual([]);

    await ana.press(ADULT_ACCEPTS_ALL);
    const historyRows = (): number =>
      (db.sqlite.prepare('SELECT COUNT(*) AS n FROM history').get() as { n: number }).n;
    const before = historyRows();
    const answer = await ana.send('what are your opening hours?');
    expect(answer.map((reply) => reply.text)).toEqual(['We are open from 9 to 5.']);
    // The question and the answer, like any dialog's exchange.
    expect(historyRows()).toBe(before + 2);

    const help = await ana.send('/help');
    expect(help.map((reply) => reply.text).join('\n')).toContain('/privacy');
    expect(seen.slice(-2)).toEqual(['fallback', 'command']);
  });
});

describe('the per-turn time limit', () => {
  it('apologises in the person’s language, drops the late replies and logs the code, not the text', async () => {
    const { app, chat } = await start({ TURN_TIME_LIMIT_MS: '50' });
    let release: () => void = () => undefined;
    app.engine.use(async (turn, next) => {
      if (turn.route.kind === 'fallback' && turn.route.text.includes('slow')) {
        await new Promise<void>((resolve) => (release = resolve));
        turn.say('too late');
        return;
      }
      await next();
    });
    const ana = chat('ana', { localeHint: 'de-DE' });
    await ana.press(ADULT_ACCEPTS_ALL.replace(/:en$/, ':de'));

    const replies = await ana.send('a slow secret question');
    expect(replies.map((reply) => reply.text)).toEqual([expect.stringContaining('zu lange gedauert')]);
    release();

    const timeoutLines = logLines.filter((line) => line.includes('TURN_TIMEOUT'));
    expect(timeoutLines).toHaveLength(1);
    expect(timeoutLines[0]).not.toContain('secret');

    // The next turn is served normally.
    const after = await ana.send('/help');
    expect(after.map((reply) => reply.text).join('\n')).toContain('/privacy');
  });
});

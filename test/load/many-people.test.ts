import v8 from 'node:v8';
import vm from 'node:vm';
import { ADULT_ACCEPTS_ALL, appPerTest } from '../support/test-app';

/**
 * Issue 12, item 9: 1,000 people at once on the terminal channel's engine (channel `console`, as
 * `npm run chat -- --json` hands them over), each through three turns that touch every part of
 * the pipeline: a first message (the consent notice), "accept all" (consent state and ledger),
 * and a note (a data key per person, encrypted history). Then a second wave of 1,000 others.
 *
 * The only assertion is that every person got a reply to every turn. Heap use after a full
 * garbage collection is measured before, after the first wave and after the second, and printed:
 * what stays per person is the key cache (bounded by KEY_CACHE_MAX_ENTRIES) and the rate
 * limiter's windows (bounded), so the second wave should not add what the first did.
 */

const PEOPLE = 1000;

const start = appPerTest();

/** A full collection before measuring; the test process does not run with --expose-gc. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function heapMb(): number {
  // Twice: the first pass runs finalisers that release more for the second.
  collectGarbage();
  collectGarbage();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

describe('1,000 people at once (issue 12, item 9)', () => {
  it('every person gets a reply to every turn; heap use is printed', async () => {
    const h = await start();
    const rounds: [string, string | { press: string }][] = [
      ['hello', 'hello'],
      ['accept all', { press: ADULT_ACCEPTS_ALL }],
      ['a note', 'remember that my number is 1234'],
    ];
    const apology = new Set(
      ['errors.generic', 'errors.storageUnavailable', 'errors.keysUnavailable'].map((key) =>
        h.app.services.i18n.translator('en')(key),
      ),
    );
    const heap: Record<string, number> = { before: heapMb() };
    const unanswered: Record<string, number> = {};
    const apologies: Record<string, number> = {};
    const timings: Record<string, number> = {};

    for (const wave of ['first', 'second']) {
      const people = Array.from({ length: PEOPLE }, (_, i) => h.chat(`load-raw-${wave}-${i}`));
      const started = performance.now();
      for (const [name, input] of rounds) {
        const replies = await Promise.all(
          people.map((person) =>
            typeof input === 'string' ? person.send(input) : person.press(input.press),
          ),
        );
        const label = `${wave} wave, ${name}`;
        unanswered[label] = replies.filter((texts) => texts.length === 0 || !texts[0]?.text).length;
        apologies[label] = replies.filter((texts) => texts.some((reply) => apology.has(reply.text))).length;
      }
      timings[wave] = Math.round(performance.now() - started);
      heap[`after ${wave} wave`] = heapMb();
    }

    process.stdout.write(
      `[load] ${PEOPLE} people x ${rounds.length} turns per wave; ms per wave ${JSON.stringify(timings)}; ` +
        `heap used after GC (MB) ${JSON.stringify(heap)}; apologies ${JSON.stringify(apologies)}; ` +
        `cached data keys ${h.app.encryption.cache.stats().size}\n`,
    );

    expect(Object.values(unanswered)).toEqual(Array(2 * rounds.length).fill(0));
  }, 60_000);
});

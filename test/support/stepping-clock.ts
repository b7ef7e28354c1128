/** An hour, the step a SteppingClock takes unless told otherwise. */
export const HOUR = 60 * 60 * 1000;

/**
 * A clock the test moves by hand, back at `start` before each test: hand `now` to the bot and to
 * the operator's CLI (./bot-with-operator.ts) so that what one records and the other's turns are
 * ordered, then `tick()` between them. Call at the top of a test file, before the bot's set-up.
 */
export function steppingClockPerTest(start: Date) {
  let current = start;
  beforeEach(() => {
    current = start;
  });
  return {
    /** The time now, as the bot and the CLI see it. */
    now: (): Date => current,
    /** Moves the clock `ms` forward (an hour by default). */
    tick(ms = HOUR): void {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * People talking to one benchmark bot, each at their own pace: `join` brings new people in (for
 * our engine: they press the consent button), `next` sends a person's next scripted message and
 * resolves when the reply is there. Both load models drive a crowd: the closed loop (a person
 * waits for the reply before the next message) and the open loop (messages arrive on a clock).
 * One person's messages are handled in the order they were sent, one at a time, as a chat
 * platform delivers them: a message that arrives while the person's previous one is still being
 * answered waits for it (and the open loop counts that wait).
 */
export interface Crowd {
  /** People who have joined so far. */
  readonly size: number;
  join(person: number): Promise<void>;
  next(person: number): Promise<void>;
  /** Not timed: fails when a turn got no normal answer or the bot did not keep what it should. */
  check(): Promise<void>;
}

/** One person's turns one after another, in the order they were sent (see Crowd). */
export class PerPersonQueue {
  private readonly tails = new Map<number, Promise<void>>();

  run(person: number, turn: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(person) ?? Promise.resolve();
    // The next turn waits for this one however it ends; the caller still sees its failure.
    const result = previous.then(turn);
    const tail = result.catch(() => undefined);
    this.tails.set(person, tail);
    void tail.then(() => {
      if (this.tails.get(person) === tail) this.tails.delete(person);
    });
    return result;
  }
}

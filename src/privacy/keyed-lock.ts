/**
 * Runs tasks for the same key one after another, and tasks for different keys side by side.
 * The consent service uses it per person, so two decisions of one person (a double tap, a grant
 * racing /stop) are each computed from the state the other left, never from a stale snapshot.
 * Within one process only: several processes share state through MongoDB, whose decision upsert
 * never lets an older decision overwrite a newer one.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once its queue is empty, so the map holds only people mid-decision.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/**
 * What the limiter says about one turn: go on, refuse with the notice (the first refusal of a
 * window), or refuse quietly (every later one: a flood must not be answered message for message).
 */
export type RateVerdict = 'allowed' | 'refused' | 'refused-again';

/**
 * Fixed-window turn counter per subject, in memory. Each instance limits on its own: enough to
 * stop one person flooding a worker; a shared limit would need the database on every turn.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxTracked = 100_000,
  ) {}

  check(key: string, now: number): RateVerdict {
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.maxTracked) this.sweep(now);
      this.windows.set(key, { start: now, count: 1 });
      return 'allowed';
    }
    window.count += 1;
    if (window.count <= this.limit) return 'allowed';
    return window.count === this.limit + 1 ? 'refused' : 'refused-again';
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
    // Still full of live windows: forget the oldest rather than grow without bound.
    if (this.windows.size >= this.maxTracked) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }
}

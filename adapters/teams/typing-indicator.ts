export interface TypingIndicatorOptions {
  readonly sendTyping: () => Promise<void>;
  /** Teams wants a reply or a typing indicator within 2 s; stay well inside that. */
  readonly delayMs: number;
  /** Teams hides the indicator after a few seconds, so slow turns repeat it. */
  readonly periodMs: number;
  readonly onError: (error: unknown) => void;
}

/**
 * Runs `work`, showing "typing…" if it is slow. Our own timer rather than botbuilder's
 * ShowTypingMiddleware: that one hands a failed typing send to onTurnError (which would post an
 * apology mid-turn), and it can still be sending when the turn ends. Here a failed indicator is
 * only logged, and we wait for an in-flight indicator before the replies go out, so it never lands
 * after them and never uses the turn context after the turn.
 */
export async function withTypingIndicator<T>(
  work: () => Promise<T>,
  options: TypingIndicatorOptions,
): Promise<T> {
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const schedule = (ms: number): void => {
    timer = setTimeout(() => {
      inFlight = options
        .sendTyping()
        .catch(options.onError)
        .then(() => {
          if (!finished) schedule(options.periodMs);
        });
    }, ms);
  };

  schedule(options.delayMs);
  try {
    return await work();
  } finally {
    finished = true;
    clearTimeout(timer);
    await inFlight;
  }
}

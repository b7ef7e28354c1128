import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../src/logging/logger';

/**
 * botbuilder writes some failures straight to the console: botframework-connector's
 * JwtTokenExtractor calls console.error with the error, or with the PEM of every signing key,
 * when a token is forged or expired. That bypasses the logger: stderr lines without a code, at
 * any log level, in a process whose stdout and stderr are otherwise structured.
 *
 * While `quietConsole` work runs, console.error and console.warn are wrapped: a call made from
 * that work becomes one debug line with a code (the request's own outcome is what gets logged at
 * warn), a call from anywhere else goes to the console as before. The async context tells them
 * apart, so concurrent requests never see each other's routing. The wrappers are removed when the
 * last such work ends, so nothing stays patched between requests.
 */
const scope = new AsyncLocalStorage<Logger>();
const LEVELS = ['error', 'warn'] as const;
let active = 0;
let originals: Record<(typeof LEVELS)[number], (...args: unknown[]) => void> | undefined;

export async function quietConsole<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  if (active++ === 0) install();
  try {
    return await scope.run(logger, work);
  } finally {
    if (--active === 0) uninstall();
  }
}

/* eslint-disable no-console -- this module exists to take botbuilder's console calls away from it */
function install(): void {
  const saved = { error: console.error, warn: console.warn };
  originals = saved;
  for (const level of LEVELS) {
    console[level] = (...args: unknown[]) => {
      const logger = scope.getStore();
      if (!logger) {
        saved[level].apply(console, args);
        return;
      }
      // Arguments are dropped on purpose: they hold tokens, key lists and error messages.
      const err = args.find((arg) => arg instanceof Error);
      logger.debug(
        { code: 'TEAMS_SDK_CONSOLE', level, ...(err ? { err } : {}) },
        'botbuilder console output',
      );
    };
  }
}

function uninstall(): void {
  if (!originals) return;
  console.error = originals.error;
  console.warn = originals.warn;
  originals = undefined;
}
/* eslint-enable no-console */

import { isLoopbackHost } from '../../src/config/env-values';
import { ConfigError } from '../../src/core/errors';

/**
 * The two authentication decisions the channel makes itself. botbuilder turns signature checks
 * off entirely when there is no app id, and answers every failure with its own status and text.
 */

/** Refuses identities that would leave /api/messages open to anyone who can reach it. */
export function checkAuthentication(appId: string | undefined, appEnv: string, httpHost: string): void {
  if (appId) return;
  if (appEnv === 'production') {
    throw new ConfigError(
      'MICROSOFT_APP_ID: required in production (without it /api/messages is unauthenticated)',
    );
  }
  if (!isLoopbackHost(httpHost)) {
    throw new ConfigError(
      'MICROSOFT_APP_ID: required unless HTTP_HOST is loopback (127.0.0.1, ::1 or localhost); ' +
        'without it /api/messages is unauthenticated',
    );
  }
}

/**
 * A missing, forged or expired token is the caller's problem (401); failing to check at all (the
 * signing keys could not be fetched) is ours (500, and the Bot Connector retries).
 */
export function authenticationFailureStatus(error: unknown): 401 | 500 {
  const { name, statusCode } = (error ?? {}) as { name?: unknown; statusCode?: unknown };
  if (statusCode === 401 || statusCode === 403) return 401;
  if (name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError') return 401;
  return 500;
}

import pino from 'pino';
import { errorCode } from '../core/errors';

/**
 * Structured logs to stderr (stdout belongs to the terminal channel's JSON mode). Logs carry ids
 * and error codes only; the redact list is a second line of defence, not the first.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)) {
  return pino(
    {
      level,
      base: null,
      redact: {
        paths: ['text', '*.text', 'token', '*.token', 'userKey', '*.userKey', 'raw', '*.raw', 'err.message'],
        censor: '[redacted]',
      },
      // Error messages can quote input; only the stable code is logged.
      serializers: { err: (err: unknown) => ({ code: errorCode(err) }) },
    },
    destination,
  );
}

export type Logger = pino.Logger;

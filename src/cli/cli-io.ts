import { AppError, errorCode } from '../core/errors';
import type { CreateKeyProviderOptions } from '../crypto/create-key-provider';
import type { Logger } from '../logging/logger';

/**
 * What the operator CLIs (`npm run keys`, `npm run privacy`) take from their caller instead of
 * from the process, so that tests run them in-process with their own environment and streams.
 */
export interface OperatorCliDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly logger?: Logger;
  /** Tests point the AWS provider at the KMS double with static credentials. */
  readonly keyProviderOptions?: CreateKeyProviderOptions;
}

export interface CliStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export function streamsOf(deps: OperatorCliDeps): CliStreams {
  return { stdout: deps.stdout ?? process.stdout, stderr: deps.stderr ?? process.stderr };
}

/** A command line that could not be parsed: what was wrong, then the usage. Exit code 2. */
export function reportUsageError(stderr: NodeJS.WritableStream, error: unknown, usage: string): 2 {
  stderr.write(`${(error as Error).message}\n\n${usage}`);
  return 2;
}

/** A command that failed: `<tool>: <CODE>: <message>` on stderr. Exit code 1. */
export function reportCommandError(stderr: NodeJS.WritableStream, tool: string, error: unknown): 1 {
  // Our errors carry safe messages (variable names, operations); anything else only its code.
  const message = error instanceof AppError ? error.message : 'unexpected error';
  stderr.write(`${tool}: ${errorCode(error)}: ${message}\n`);
  return 1;
}

import { PassThrough } from 'node:stream';
import pino from 'pino';
import type { OperatorCliDeps } from '../../src/cli/cli-io';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an operator CLI (runKeysCli, runPrivacyCli) in-process on `env` alone, not the test
 * runner's environment, with its output captured as text and its log silenced.
 */
export async function runCli(
  cli: (argv: readonly string[], deps: OperatorCliDeps) => Promise<number>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture();
  const code = await cli(argv, {
    env,
    stdout: stdout.stream,
    stderr: stderr.stream,
    logger: pino({ level: 'silent' }),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A command line the CLI refused: exit 2, `message` and the `usage` on stderr, nothing on stdout. */
export function expectUsageError(result: CliResult, message: string, usage: string): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(message);
  expect(result.stderr).toContain(usage);
  expect(result.stdout).toBe('');
}

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

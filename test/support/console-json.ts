import { PassThrough } from 'node:stream';
import { ConsoleChannel } from '../../adapters/console/console-channel';
import type { TurnHandler } from '../../src/core/channel';
import { createLogger } from '../../src/logging/logger';
import type { JsonReply } from './chat-process';

/**
 * The terminal channel in JSON mode (`npm run chat -- --json`) in this process, on in-memory
 * streams: `lines` are its stdin (a string as written, anything else as JSON), each turn goes to
 * `handler`, and once the input has ended every stdout line comes back parsed, in order. For a
 * whole `npm run chat` process, see ./chat-process.ts.
 */
export async function throughConsoleJson(
  handler: TurnHandler,
  lines: readonly unknown[],
): Promise<JsonReply[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  const written: string[] = [];
  output.on('data', (chunk: Buffer) => written.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const channel = new ConsoleChannel({
    mode: 'json',
    input,
    output,
    logger: createLogger('silent'),
    downloadDir: '/nonexistent',
  });
  await channel.start(handler);
  input.end(lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  await channel.finished;
  return written.map((line) => JSON.parse(line) as JsonReply);
}

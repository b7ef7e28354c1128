import { PassThrough } from 'node:stream';
import { ConsoleChannel } from '../../../../adapters/console/console-channel';
import type { IncomingMessage } from '../../../../src/core/messages';
import { createLogger } from '../../../../src/logging/logger';
import type { AdapterDriver } from './driver';

/**
 * The terminal has no group conversation: each `user` of the JSON protocol speaks in a
 * conversation of their own and every reply line names who it is for. "The group" is therefore
 * everyone else on the stream; the contract holds if the channel marks the speaker's message
 * private and tags each reply with the speaker only.
 */
export const consoleDriver: AdapterDriver = {
  name: 'console',
  async speakInGroup(replies) {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: string[] = [];
    output.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const incoming: IncomingMessage[] = [];
    const channel = new ConsoleChannel({
      mode: 'json',
      input,
      output,
      logger: createLogger('silent'),
      downloadDir: '/nonexistent',
    });
    await channel.start((message) => {
      incoming.push(message);
      return Promise.resolve(message.userKey === 'ana' ? replies : []);
    });
    input.end(
      `${JSON.stringify({ text: '/mydata', user: 'ana' })}\n${JSON.stringify({ text: 'hi', user: 'bea' })}\n`,
    );
    await channel.finished;
    const sent = lines.map((line) => JSON.parse(line) as { user: string; text: string });
    return {
      incoming: incoming.filter((message) => message.userKey === 'ana'),
      visibleToGroup: sent.filter((reply) => reply.user !== 'ana').map((reply) => reply.text),
      visibleToSpeakerOnly: sent.filter((reply) => reply.user === 'ana').map((reply) => reply.text),
    };
  },
};

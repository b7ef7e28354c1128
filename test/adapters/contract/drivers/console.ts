import type { IncomingMessage } from '../../../../src/core/messages';
import { throughConsoleJson } from '../../../support/console-json';
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
    const incoming: IncomingMessage[] = [];
    const sent = await throughConsoleJson(
      (message) => {
        incoming.push(message);
        return Promise.resolve(message.userKey === 'ana' ? replies : []);
      },
      [
        { text: '/mydata', user: 'ana' },
        { text: 'hi', user: 'bea' },
      ],
    );
    return {
      incoming: incoming.filter((message) => message.userKey === 'ana'),
      visibleToGroup: sent.filter((reply) => reply.user !== 'ana').map((reply) => reply.text),
      visibleToSpeakerOnly: sent.filter((reply) => reply.user === 'ana').map((reply) => reply.text),
    };
  },
};

import type { Update } from 'telegraf/types';
import { TelegramChannel } from '../../../../adapters/telegram/telegram-channel';
import type { IncomingMessage } from '../../../../src/core/messages';
import { createLogger } from '../../../../src/logging/logger';
import { TEST_BOT_INFO, TelegramBotApiDouble } from '../../../support/telegram-bot-api-double';
import type { AdapterDriver } from './driver';

const PERSON = { id: 424242, is_bot: false, first_name: 'Ada', language_code: 'de' };
const GROUP = { id: -100987, type: 'group', title: 'Team' };

/** A command addressed to the bot in a group, as Telegram sends it (with its bot_command entity). */
function commandInGroup(): Update {
  const text = `/mydata@${TEST_BOT_INFO.username}`;
  return {
    update_id: 9001,
    message: {
      message_id: 17,
      date: 1793872800,
      chat: GROUP,
      from: PERSON,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.length }],
    },
  } as unknown as Update;
}

export const telegramDriver: AdapterDriver = {
  name: 'telegram',
  async speakInGroup(replies, { speakerReachable }) {
    const api = await TelegramBotApiDouble.start();
    const channel = new TelegramChannel({
      token: api.token,
      apiRoot: api.apiRoot,
      logger: createLogger('silent'),
      botInfo: TEST_BOT_INFO,
      commands: [],
    });
    const incoming: IncomingMessage[] = [];
    try {
      await channel.start((message) => {
        incoming.push(message);
        return Promise.resolve(replies);
      });
      if (!speakerReachable) {
        api.failNext('sendMessage', {
          error_code: 403,
          description: "Forbidden: bot can't initiate conversation with a user",
        });
      }
      await channel.handleUpdate(commandInGroup());
      const sentTo = (chatId: number) =>
        api.calls
          .filter((call) => ['sendMessage', 'sendDocument'].includes(call.method))
          .filter((call) => String(call.body.chat_id) === String(chatId))
          .map((call) => JSON.stringify(call.body));
      return {
        incoming,
        visibleToGroup: sentTo(GROUP.id),
        // A refused send was recorded by the double but never reached the person.
        visibleToSpeakerOnly: speakerReachable ? sentTo(PERSON.id) : [],
      };
    } finally {
      await channel.stop();
      await api.close();
    }
  },
};

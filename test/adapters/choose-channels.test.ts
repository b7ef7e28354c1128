import { defaultCommandMenu } from '../../adapters/default-menu';
import { chooseChannels } from '../../src/channels';
import { loadConfig } from '../../src/config/config';
import { TelegramBotApiDouble } from '../support/telegram-bot-api-double';
import { capturingLogger, recordingHandler } from './telegram/harness';

/**
 * The composition root starts what the channel table's definitions turn on, each with its own
 * settings: here Telegram against its Bot API double and Teams for the Emulator on loopback.
 */
describe('chooseChannels', () => {
  let api: TelegramBotApiDouble;
  beforeEach(async () => {
    api = await TelegramBotApiDouble.start();
  });
  afterEach(async () => {
    await api.close();
  });

  it('starts every channel the configuration turns on, in table order, sharing one HTTP server', async () => {
    const { logger } = capturingLogger();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TEAMS_ENABLED: 'true',
      HTTP_HOST: '127.0.0.1',
    });
    const choice = await chooseChannels(config, logger, {
      forceConsole: false,
      json: true,
      menu: defaultCommandMenu(),
    });
    expect(choice.channels.map((channel) => channel.name)).toEqual(['telegram', 'teams']);
    expect(choice.http).toBeDefined();
    expect(choice.finished).toBeUndefined();

    // The Telegram channel was built from its settings: it talks to the double it was given.
    const [telegram] = choice.channels;
    await telegram!.start(recordingHandler().handler);
    await telegram!.stop();
    expect(api.callsTo('getMe')).toHaveLength(1);
  });
});

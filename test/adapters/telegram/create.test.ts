import { HttpServer } from '../../../adapters/http/http-server';
import { createTelegramChannel } from '../../../adapters/telegram/create';
import { loadConfig } from '../../../src/config/config';
import { TelegramBotApiDouble } from '../../support/telegram-bot-api-double';
import { capturingLogger, recordingHandler } from './harness';

describe('createTelegramChannel', () => {
  let api: TelegramBotApiDouble;
  beforeEach(async () => {
    api = await TelegramBotApiDouble.start();
  });
  afterEach(async () => {
    await api.close();
  });

  it('builds a polling channel from the configuration, asks who it is, and lists /privacy in every language', async () => {
    const { logger } = capturingLogger();
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });
    const channel = createTelegramChannel(config, logger, new HttpServer(logger));
    await channel.start(recordingHandler().handler);
    await channel.stop();

    expect(api.callsTo('getMe')).toHaveLength(1);
    const menus = api.callsTo('setMyCommands');
    expect(menus).toHaveLength(5);
    for (const menu of menus) {
      expect((menu.body.commands as { command: string }[]).map((entry) => entry.command)).toContain(
        'privacy',
      );
    }
  });

  it('refuses to run without a token', () => {
    const { logger } = capturingLogger();
    expect(() => createTelegramChannel(loadConfig({}), logger, new HttpServer(logger))).toThrow(
      /TELEGRAM_BOT_TOKEN/,
    );
  });
});

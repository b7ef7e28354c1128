import { HttpServer } from '../../../adapters/http/http-server';
import { createTelegramChannel } from '../../../adapters/telegram/create';
import { loadConfig } from '../../../src/config/config';
import { TelegramBotApiDouble } from '../../support/telegram-bot-api-double';
import type { Update } from 'telegraf/types';
import type { TelegramChannel } from '../../../adapters/telegram/telegram-channel';
import { I18n, LOCALES_DIR } from '../../../src/i18n/i18n';
import { PERSON, callbackUpdate, capturingLogger, recordingHandler } from './harness';

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

  it('answers a stale button in DEFAULT_LOCALE when the presser’s app speaks none of ours', async () => {
    const { logger } = capturingLogger();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      DEFAULT_LOCALE: 'es',
    });
    const channel = createTelegramChannel(config, logger, new HttpServer(logger)) as TelegramChannel;
    await channel.start(recordingHandler().handler);
    try {
      const { language_code: _none, ...speaksNoLanguage } = PERSON;
      const press = callbackUpdate('~t:AAAAAAAAAAAAAAAAAAAAAA') as { callback_query: object };
      await channel.handleUpdate({
        ...press,
        callback_query: { ...press.callback_query, from: speaksNoLanguage },
      } as unknown as Update);
    } finally {
      await channel.stop();
    }
    const spanish = I18n.load(LOCALES_DIR, 'en').translator('es')('input.unknownAction');
    expect(api.callsTo('answerCallbackQuery').map((call) => call.body.text)).toEqual([spanish]);
  });

  it('refuses to run without a token', () => {
    const { logger } = capturingLogger();
    expect(() => createTelegramChannel(loadConfig({}), logger, new HttpServer(logger))).toThrow(
      /TELEGRAM_BOT_TOKEN/,
    );
  });
});

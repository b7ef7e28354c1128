import { STALE_BUTTON_ACTION } from '../../../adapters/button-ids';
import { LOCALES } from '../../../src/i18n/locales';
import { HttpServer } from '../../../adapters/http/http-server';
import { defaultCommandMenu } from '../../../adapters/default-menu';
import { telegramCommands } from '../../../adapters/telegram/command-menu';
import { createTelegramChannel } from '../../../adapters/telegram/create';
import { loadConfig } from '../../../src/config/config';
import { TelegramBotApiDouble } from '../../support/telegram-bot-api-double';
import type { Update } from 'telegraf/types';
import type { TelegramChannel } from '../../../adapters/telegram/telegram-channel';
import { PERSON, callbackUpdate, capturingLogger, recordingHandler } from './harness';

describe('createTelegramChannel', () => {
  let api: TelegramBotApiDouble;
  beforeEach(async () => {
    api = await TelegramBotApiDouble.start();
  });
  afterEach(async () => {
    await api.close();
  });

  /** The channel as the app builds it from `env`, with the default command menu. */
  function fromEnv(env: Record<string, string>): TelegramChannel {
    const { logger } = capturingLogger();
    const settings = loadConfig(env).channels.settings.telegram;
    return createTelegramChannel(
      settings,
      logger,
      new HttpServer(logger),
      defaultCommandMenu(),
    ) as TelegramChannel;
  }
  const onTheDouble = () => fromEnv({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });

  it('builds a polling channel from the configuration, asks who it is, and lists /privacy in every language', async () => {
    const channel = onTheDouble();
    await channel.start(recordingHandler().handler);
    await channel.stop();

    expect(api.callsTo('getMe')).toHaveLength(1);
    const menus = api.callsTo('setMyCommands');
    // A default list and one per locale folder.
    expect(menus).toHaveLength(1 + LOCALES.length);
    for (const menu of menus) {
      expect((menu.body.commands as { command: string }[]).map((entry) => entry.command)).toContain(
        'privacy',
      );
    }
    // The lists are the registry's menu with the texts of locales/: the default one in English.
    const generated = telegramCommands(defaultCommandMenu());
    const listIn = (locale: string) =>
      generated.map((spec) => ({ command: spec.command, description: spec.description[locale] }));
    expect(menus.map((menu) => menu.body.language_code)).toEqual([undefined, ...LOCALES]);
    expect(menus[0]!.body.commands).toEqual(listIn('en'));
    expect(menus[2]!.body.commands).toEqual(listIn('de'));
    expect(menus[4]!.body.commands).toEqual(listIn('fr'));
  });

  it('hands a stale button to the engine, which answers in DEFAULT_LOCALE when the app speaks none of ours', async () => {
    const channel = onTheDouble();
    const { handler, received } = recordingHandler();
    await channel.start(handler);
    try {
      const { language_code: _none, ...speaksNoLanguage } = PERSON;
      const press = callbackUpdate('~AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') as { callback_query: object };
      await channel.handleUpdate({
        ...press,
        callback_query: { ...press.callback_query, from: speaksNoLanguage },
      } as unknown as Update);
    } finally {
      await channel.stop();
    }
    // No language hint: the engine falls back to DEFAULT_LOCALE (test/adapters/telegram/engine.test.ts).
    expect(received).toEqual([expect.objectContaining({ action: STALE_BUTTON_ACTION })]);
    expect(received[0]).not.toHaveProperty('localeHint');
    expect(api.callsTo('answerCallbackQuery')).toHaveLength(1);
  });

  it('refuses to run without a token', () => {
    expect(() => fromEnv({})).toThrow(/TELEGRAM_BOT_TOKEN/);
  });
});

import { ConfigError } from '../../src/core/errors';
import { optionalString, optionalUrl } from '../../src/config/env-values';
import type { TelegramSettings } from './create';
import { defineChannel } from '../channel-definition';

/**
 * Telegram: on when TELEGRAM_BOT_TOKEN is set; webhook mode when TELEGRAM_WEBHOOK_URL is set,
 * long polling otherwise.
 */
export const telegram = defineChannel({
  variables: {
    TELEGRAM_BOT_TOKEN: optionalString,
    // The Bot API's base URL (https://api.telegram.org unless set): a local double in tests.
    TELEGRAM_API_ROOT: optionalUrl,
    TELEGRAM_WEBHOOK_URL: optionalUrl,
    TELEGRAM_WEBHOOK_SECRET: optionalString,
  },
  settings: (values): TelegramSettings => {
    // Without the secret anyone who finds the URL could post updates as any person.
    if (values.TELEGRAM_WEBHOOK_URL && !values.TELEGRAM_WEBHOOK_SECRET) {
      throw new ConfigError('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
    }
    return {
      token: values.TELEGRAM_BOT_TOKEN,
      apiRoot: values.TELEGRAM_API_ROOT,
      webhookUrl: values.TELEGRAM_WEBHOOK_URL,
      webhookSecret: values.TELEGRAM_WEBHOOK_SECRET,
    };
  },
  isOn: (settings) => Boolean(settings.token),
  // "1-4096 characters after entities parsing", https://core.telegram.org/bots/api#sendmessage;
  // clients split longer text themselves.
  maxMessageChars: 4096,
  create: async (settings, { logger, http, menu }) =>
    (await import('./create')).createTelegramChannel(settings, logger, http, menu),
});

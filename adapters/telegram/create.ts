import type { Channel } from '../../src/core/channel';
import { ConfigError } from '../../src/core/errors';
import type { Logger } from '../../src/logging/logger';
import type { HttpServer } from '../http/http-server';
import type { CommandMenu } from '../../src/engine/command-menu';
import { telegramCommands } from './command-menu';
import { TelegramChannel } from './telegram-channel';

/** The Telegram section of the configuration (adapters/telegram/definition.ts reads it). */
export interface TelegramSettings {
  readonly token: string | undefined;
  readonly apiRoot: string | undefined;
  readonly webhookUrl: string | undefined;
  readonly webhookSecret: string | undefined;
}

/**
 * The channel's factory (its definition loads this file only when a bot token is set). Webhook
 * mode when TELEGRAM_WEBHOOK_URL is set, long polling otherwise.
 */
export function createTelegramChannel(
  settings: TelegramSettings,
  logger: Logger,
  http: HttpServer,
  menu: CommandMenu,
): Channel {
  const { token, apiRoot, webhookUrl, webhookSecret } = settings;
  if (!token) throw new ConfigError('TELEGRAM_BOT_TOKEN: required for the Telegram channel');
  // The definition checks this too; repeated because falling back to polling would delete the webhook.
  if (webhookUrl && !webhookSecret) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  }
  return new TelegramChannel({
    token,
    logger: logger.child({ channel: 'telegram' }),
    commands: telegramCommands(menu),
    ...(apiRoot ? { apiRoot } : {}),
    ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret, http } } : {}),
  });
}

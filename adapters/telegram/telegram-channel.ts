import { setTimeout as delay } from 'node:timers/promises';
import { Telegraf } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Channel, TurnHandler } from '../../src/core/channel';
import type { Logger } from '../../src/logging/logger';
import type { HttpServer } from '../http/http-server';
import { ButtonIdCodec, STALE_BUTTON_ACTION, TELEGRAM_CALLBACK_DATA_MAX_BYTES } from '../button-ids';
import type { BotIdentity } from './addressing';
import { registerCommands, validateCommands, type BotCommandSpec } from './commands';
import { renderReplies } from './render';
import { toIncoming } from './to-incoming';
import { WebhookRoute, webhookEndpoint, type WebhookEndpoint } from './webhook';

export interface TelegramChannelOptions {
  readonly token: string;
  /** A local Bot API server or a test double; Telegram's own when absent. */
  readonly apiRoot?: string;
  /** Webhook mode on the shared HTTP server; long polling when absent. */
  readonly webhook?: { readonly url: string; readonly secret: string; readonly http: HttpServer };
  readonly logger: Logger;
  /** Skips the getMe call, so tests never need Telegram to say who the bot is. */
  readonly botInfo?: UserFromGetMe;
  readonly commands: readonly BotCommandSpec[];
}

// Data minimisation: Telegram delivers only the update kinds that can become a turn.
const ALLOWED_UPDATES: ('message' | 'callback_query')[] = ['message', 'callback_query'];

export class TelegramChannel implements Channel {
  readonly name = 'telegram';
  private readonly bot: Telegraf;
  private readonly logger: Logger;
  private readonly buttonIds = new ButtonIdCodec(TELEGRAM_CALLBACK_DATA_MAX_BYTES);
  private readonly endpoint: WebhookEndpoint | undefined;
  private handler: TurnHandler | undefined;
  private polling: Promise<void> | undefined;
  private webhookRoute: WebhookRoute | undefined;

  constructor(private readonly options: TelegramChannelOptions) {
    validateCommands(options.commands);
    this.logger = options.logger;
    this.endpoint = options.webhook && webhookEndpoint(options.webhook.url, options.webhook.secret);
    this.bot = new Telegraf(options.token, {
      // Without this, telegraf may answer one call per update inside the webhook response, where
      // a failure is invisible to us and the update counts as handled.
      telegram: { webhookReply: false, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
    });
    if (options.botInfo) this.bot.botInfo = options.botInfo;
    // telegraf's default error handler prints the whole update, message text included, to the console.
    this.bot.catch((error, ctx) => {
      this.logger.error({ err: error, updateId: ctx.update.update_id }, 'telegram turn failed');
    });
    this.bot.use((ctx) => this.onUpdate(ctx.update, { username: ctx.botInfo.username, id: ctx.botInfo.id }));
  }

  async start(handler: TurnHandler): Promise<void> {
    this.handler = handler;
    this.bot.botInfo ??= await this.bot.telegram.getMe();
    await registerCommands(this.bot.telegram, this.options.commands);
    if (this.options.webhook && this.endpoint) {
      await this.startWebhook(this.options.webhook, this.endpoint);
    } else {
      await this.startPolling();
    }
    this.logger.info({ mode: this.endpoint ? 'webhook' : 'polling' }, 'telegram channel started');
  }

  /** Stops receiving updates and waits for turns in progress. The webhook stays registered. */
  async stop(): Promise<void> {
    const polling = this.polling;
    this.polling = undefined;
    if (polling) await this.stopPolling(polling);
    await this.webhookRoute?.close();
    this.logger.info('telegram channel stopped');
  }

  /** The path every update takes, whether it came by polling, webhook or a test. */
  handleUpdate(update: Update): Promise<void> {
    return this.bot.handleUpdate(update);
  }

  private async startWebhook(webhook: { secret: string; http: HttpServer }, endpoint: WebhookEndpoint) {
    const callback = this.bot.webhookCallback(endpoint.path, { secretToken: webhook.secret });
    this.webhookRoute ??= new WebhookRoute(
      webhook.http.app,
      endpoint.path,
      webhook.secret,
      callback,
      this.logger,
    );
    this.webhookRoute.open();
    try {
      await this.bot.telegram.setWebhook(endpoint.url, {
        secret_token: webhook.secret,
        allowed_updates: ALLOWED_UPDATES,
      });
    } catch (error) {
      await this.webhookRoute.close();
      throw error;
    }
  }

  /**
   * telegraf's launch() resolves only when polling ends, so start() waits for its onLaunch
   * callback instead and keeps the launch promise, its outcome handled, for stop() to await.
   * A failure before onLaunch rejects start(); a later one (token revoked, or 409: another
   * process polling with the same token) is logged.
   */
  private async startPolling(): Promise<void> {
    let launched: () => void = () => undefined;
    const onLaunch = new Promise<void>((resolve) => (launched = resolve));
    const running = this.bot.launch({ allowedUpdates: ALLOWED_UPDATES }, () => launched());
    this.polling = running.then(
      () => this.logger.info('telegram polling stopped'),
      (error: unknown) => this.logger.error({ err: error }, 'telegram polling failed'),
    );
    await Promise.race([onLaunch, running]);
  }

  private async stopPolling(polling: Promise<void>): Promise<void> {
    let ended = false;
    const done = polling.finally(() => (ended = true));
    // launch() creates its polling loop only after deleteWebhook answers; until then bot.stop()
    // throws "Bot is not running!", so a stop right after start waits for the loop to exist.
    while (!ended) {
      try {
        this.bot.stop('channel stopped');
        break;
      } catch {
        await delay(10);
      }
    }
    await done;
  }

  private async onUpdate(update: Update, bot: BotIdentity): Promise<void> {
    const handler = this.handler;
    if (!handler) return;
    const updateId = update.update_id;
    const mapped = toIncoming(update, {
      bot,
      now: new Date(),
      resolveAction: (data) => {
        const action = this.buttonIds.decode(data);
        if (action === STALE_BUTTON_ACTION)
          this.logger.warn({ code: 'BUTTON_EXPIRED', updateId }, 'stale button');
        return action;
      },
    });
    // Every press is answered (the spinner stops); a stale button still makes a turn, whose
    // reply says in the person's language that it no longer works.
    if (mapped.callbackQueryId !== undefined) await this.answerCallback(mapped.callbackQueryId, updateId);

    if (mapped.kind === 'malformed') {
      this.logger.warn({ updateId }, 'telegram update malformed, ignored');
      return;
    }
    if (mapped.kind === 'ignored') {
      this.logger.debug({ updateId, reason: mapped.reason }, 'telegram update ignored');
      return;
    }
    const replies = await handler(mapped.message);
    await renderReplies(replies, mapped.target, {
      telegram: this.bot.telegram,
      buttonIds: this.buttonIds,
      logger: this.logger,
      updateId,
    });
  }

  /**
   * Answered before the turn runs: until then the person sees a spinner on the button, and a turn
   * that reaches storage and the KMS can take a moment. A failed answer does not stop the turn.
   */
  private async answerCallback(callbackQueryId: string, updateId: number): Promise<void> {
    try {
      await this.bot.telegram.answerCbQuery(callbackQueryId);
    } catch (error) {
      this.logger.warn({ err: error, updateId }, 'telegram answerCallbackQuery failed');
    }
  }
}

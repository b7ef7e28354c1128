import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Express } from 'express';
import { ConfigError } from '../../src/core/errors';
import type { Logger } from '../../src/logging/logger';

// https://core.telegram.org/bots/api#setwebhook (secret_token)
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

export interface WebhookEndpoint {
  /** Where the shared HTTP server listens for updates. */
  readonly path: string;
  /** What Telegram is told to call. */
  readonly url: string;
}

/**
 * The path is a hash of the webhook secret: it shows up in proxy and access logs, so it must not
 * be the secret itself, and unlike telegraf's default it is not derived from the bot token, so a
 * leaked path reveals nothing about the token. Rotating the secret moves the path too.
 */
export function webhookEndpoint(publicUrl: string, secret: string): WebhookEndpoint {
  if (!SECRET_TOKEN.test(secret)) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET: use 1-256 characters of A-Z, a-z, 0-9, _ and -');
  }
  const base = new URL(publicUrl);
  if (base.protocol !== 'https:') {
    throw new ConfigError('TELEGRAM_WEBHOOK_URL: Telegram only calls https:// webhooks');
  }
  const digest = createHash('sha256').update('telegram-webhook-path\0').update(secret).digest('hex');
  const path = `${base.pathname.replace(/\/+$/, '')}/telegram/${digest.slice(0, 32)}`;
  return { path, url: new URL(path, base).toString() };
}

/** telegraf's webhookCallback: answers 403 itself when the secret header is wrong. */
export type WebhookCallback = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/**
 * The webhook route on the shared express app. Express cannot unmount a route, so closing flips
 * it to 503 (Telegram retries, and another instance can take the update) and waits for updates
 * already being handled.
 */
export class WebhookRoute {
  private accepting = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(app: Express, path: string, callback: WebhookCallback, logger: Logger) {
    app.post(path, (req, res, next) => {
      if (!this.accepting) {
        res.status(503).end();
        return;
      }
      res.once('finish', () => {
        if (res.statusCode === 403) logger.warn('telegram webhook request rejected: wrong secret token');
      });
      // No `next` passed on purpose: without it telegraf answers a failed secret check with 403.
      const handling = callback(req, res).catch(next);
      this.inFlight.add(handling);
      void handling.finally(() => this.inFlight.delete(handling));
    });
  }

  open(): void {
    this.accepting = true;
  }

  async close(): Promise<void> {
    this.accepting = false;
    await Promise.all(this.inFlight);
  }
}

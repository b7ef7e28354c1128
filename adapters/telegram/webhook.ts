import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ConfigError } from '../../src/core/errors';
import type { Logger } from '../../src/logging/logger';

// https://core.telegram.org/bots/api#setwebhook (secret_token) allows 1-256 of these characters;
// the secret is the webhook's only authentication, so anything short enough to guess is refused
// (a placeholder such as the literal "undefined" among them).
const SECRET_TOKEN = /^[A-Za-z0-9_-]{32,256}$/;

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
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET: use 32-256 characters of A-Z, a-z, 0-9, _ and -');
  }
  const base = new URL(publicUrl);
  if (base.protocol !== 'https:') {
    throw new ConfigError('TELEGRAM_WEBHOOK_URL: Telegram only calls https:// webhooks');
  }
  const digest = createHash('sha256').update('telegram-webhook-path\0').update(secret).digest('hex');
  const path = `${base.pathname.replace(/\/+$/, '')}/telegram/${digest.slice(0, 32)}`;
  return { path, url: new URL(path, base).toString() };
}

/** telegraf's webhookCallback: it parses nothing itself when the body is already parsed. */
export type WebhookCallback = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** An update is a few kilobytes; the cap is the Teams route's (adapters/teams/teams-channel.ts). */
const MAX_BODY_BYTES = 1024 * 1024;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * The webhook route on the shared express app. The secret header is checked before a byte of the
 * body is read, and the body is read with a cap before anything parses it: telegraf alone would
 * read a body of any size. Every refusal is a bare status, logged once by code. Express cannot
 * unmount a route, so closing flips it to 503 (Telegram retries, and another instance can take
 * the update) and waits for updates already being handled.
 */
export class WebhookRoute {
  private accepting = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    app: Express,
    path: string,
    private readonly secret: string,
    private readonly callback: WebhookCallback,
    private readonly logger: Logger,
  ) {
    app.post(
      path,
      (req: Request, res: Response, next: NextFunction) => this.admit(req, res, next),
      // Any content type, so none slips past the cap unread; no gzip, which Telegram never sends.
      express.json({ limit: MAX_BODY_BYTES, type: () => true, inflate: false }),
      (req: Request, res: Response, next: NextFunction) => this.handle(req, res, next),
      (error: unknown, _req: Request, res: Response, _next: NextFunction) => this.reject(error, res),
    );
  }

  open(): void {
    this.accepting = true;
  }

  async close(): Promise<void> {
    this.accepting = false;
    await Promise.all(this.inFlight);
  }

  private admit(req: Request, res: Response, next: NextFunction): void {
    if (!this.accepting) {
      res.status(503).end();
      return;
    }
    // Both refusals close the connection: Node would otherwise read the unwanted body to its end
    // to keep the connection alive, and the parser too would read an oversized one before failing.
    if (!sameSecret(req.headers[SECRET_HEADER], this.secret)) {
      this.logger.warn(
        { code: 'TELEGRAM_WEBHOOK_FORBIDDEN' },
        'telegram webhook request rejected: wrong secret token',
      );
      res.setHeader('connection', 'close');
      res.status(403).end();
      return;
    }
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      res.setHeader('connection', 'close');
      this.reject(Object.assign(new Error('body over the cap'), { status: 413 }), res);
      return;
    }
    next();
  }

  private handle(req: Request, res: Response, next: NextFunction): void {
    // Closed while the body was still arriving: the update belongs to whoever runs next.
    if (!this.accepting) {
      res.status(503).end();
      return;
    }
    if (!isUpdateEnvelope(req.body)) {
      this.reject(Object.assign(new Error('not a Bot API update'), { status: 400 }), res);
      return;
    }
    const handling = this.callback(req, res).catch(next);
    this.inFlight.add(handling);
    void handling.finally(() => this.inFlight.delete(handling));
  }

  private reject(error: unknown, res: Response): void {
    const status = (error as { status?: unknown }).status;
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    const code = clientError ? 'TELEGRAM_WEBHOOK_BAD_BODY' : 'TELEGRAM_WEBHOOK_FAILED';
    this.logger.warn(
      { err: error, code, status: clientError ? status : 500 },
      'telegram webhook request rejected',
    );
    if (!res.headersSent) res.status(clientError ? status : 500).end();
  }
}

/** Compared as digests, so the time taken says nothing about how much of the secret matched. */
function sameSecret(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(header), digest(secret));
}

/** The envelope telegraf needs to run an update; what is inside is checked by the mapping. */
function isUpdateEnvelope(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id)
  );
}

import { request as httpRequest } from 'node:http';
import { HttpServer } from '../../../adapters/http/http-server';
import { TelegramChannel } from '../../../adapters/telegram/telegram-channel';
import { webhookEndpoint } from '../../../adapters/telegram/webhook';
import { textReply } from '../../../src/core/messages';
import { TEST_BOT_INFO, TelegramBotApiDouble } from '../../support/telegram-bot-api-double';
import { COMMANDS, PRIVATE_CHAT, capturingLogger, recordingHandler, textUpdate } from './harness';

const PUBLIC_URL = 'https://bot.example.test/';
const SECRET = 'webhook_secret-0123456789abcdefABCDEF';

let api: TelegramBotApiDouble;
let http: HttpServer;
let baseUrl: string;
let channel: TelegramChannel;
let received: ReturnType<typeof recordingHandler>['received'];
let log: ReturnType<typeof capturingLogger>;

beforeEach(async () => {
  api = await TelegramBotApiDouble.start();
  log = capturingLogger();
  http = new HttpServer(log.logger);
  baseUrl = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  const recording = recordingHandler(() => [textReply('Hello from the webhook')]);
  received = recording.received;
  channel = new TelegramChannel({
    token: api.token,
    apiRoot: api.apiRoot,
    logger: log.logger,
    botInfo: TEST_BOT_INFO,
    commands: COMMANDS,
    webhook: { url: PUBLIC_URL, secret: SECRET, http },
  });
  await channel.start(recording.handler);
});

afterEach(async () => {
  await channel.stop();
  await http.close();
  await api.close();
});

const endpoint = webhookEndpoint(PUBLIC_URL, SECRET);

function post(body: unknown, secretHeader: string | undefined, path = endpoint.path): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secretHeader === undefined ? {} : { 'x-telegram-bot-api-secret-token': secretHeader }),
    },
    body: JSON.stringify(body),
  });
}

function postRaw(body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${baseUrl}${endpoint.path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-telegram-bot-api-secret-token': SECRET },
    body,
  });
}

const ONE_MB = 1024 * 1024;

/** Sends the headers and the first bytes of a body of `declaredBytes`; resolves with the status. */
function answerBeforeBody(secret: string, declaredBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error('no answer before the body was complete'));
    }, 2000);
    const request = httpRequest(
      `${baseUrl}${endpoint.path}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': declaredBytes,
          'x-telegram-bot-api-secret-token': secret,
        },
      },
      (response) => {
        clearTimeout(timer);
        resolve(response.statusCode ?? 0);
        request.destroy();
      },
    );
    request.on('error', () => undefined); // the destroy above, after the answer
    request.write('{"update_id": 1, ');
  });
}

describe('Telegram webhook mode', () => {
  it('registers the webhook with its secret and does not poll', () => {
    expect(api.callsTo('setWebhook').map((call) => call.body)).toEqual([
      { url: endpoint.url, secret_token: SECRET, allowed_updates: ['message', 'callback_query'] },
    ]);
    expect(api.callsTo('deleteWebhook')).toEqual([]);
    expect(api.callsTo('getUpdates')).toEqual([]);
  });

  it('serves an update posted with the right secret header through the real HTTP path', async () => {
    const response = await post(textUpdate('hello over https'), SECRET);
    expect(response.status).toBe(200);
    expect(received.map((message) => message.text)).toEqual(['hello over https']);
    expect(api.callsTo('sendMessage')[0]!.body).toMatchObject({
      chat_id: PRIVATE_CHAT.id,
      text: 'Hello from the webhook',
    });
  });

  it('rejects a wrong or missing secret header without running a turn', async () => {
    expect((await post(textUpdate('forged'), 'not-the-secret')).status).toBe(403);
    expect((await post(textUpdate('forged'), undefined)).status).toBe(403);
    expect(received).toEqual([]);
    expect(api.callsTo('sendMessage')).toEqual([]);
    expect(
      log.entries().filter((entry) => entry.msg === 'telegram webhook request rejected: wrong secret token'),
    ).toHaveLength(2);
  });

  it('refuses a body over 1 MB with a bare 413 before parsing it, whatever its content type', async () => {
    const oversized = JSON.stringify(textUpdate('x'.repeat(ONE_MB)));
    for (const contentType of ['application/json', 'text/plain', 'application/octet-stream']) {
      const response = await postRaw(oversized, contentType);
      expect(response.status).toBe(413);
      expect(await response.text()).toBe('');
    }
    expect(received).toEqual([]);
    expect(api.callsTo('sendMessage')).toEqual([]);
    const rejections = log.entries().filter((entry) => entry.code === 'TELEGRAM_WEBHOOK_BAD_BODY');
    expect(rejections.map((entry) => entry.status)).toEqual([413, 413, 413]);
  });

  it('still serves an update just under the cap', async () => {
    const text = 'y'.repeat(ONE_MB - 1024);
    expect((await post(textUpdate(text), SECRET)).status).toBe(200);
    expect(received.map((message) => message.text?.length)).toEqual([text.length]);
  });

  it('answers a body that is not a Bot API update with a bare 400 and runs no turn', async () => {
    for (const body of ['{"update_id": 1, "message": ', '[]', 'null', '{"message": {}}', '"text"']) {
      const response = await postRaw(body);
      expect(response.status).toBe(400);
      expect(await response.text()).toBe('');
    }
    expect(received).toEqual([]);
    expect(log.raw()).not.toContain('update_id');
  });

  it('answers a wrong secret or a declared oversize before reading the body', async () => {
    // Only the first bytes are sent: an answer proves the server did not wait for the rest.
    expect(await answerBeforeBody('not-the-secret', 20 * ONE_MB)).toBe(403);
    expect(await answerBeforeBody(SECRET, 20 * ONE_MB)).toBe(413);
    expect(received).toEqual([]);
  });

  it('answers 503 once stopped, so Telegram retries elsewhere, and keeps the webhook registered', async () => {
    await channel.stop();
    expect((await post(textUpdate('late'), SECRET)).status).toBe(503);
    expect(received).toEqual([]);
    expect(api.callsTo('deleteWebhook')).toEqual([]);
  });
});

describe('webhookEndpoint', () => {
  it('derives the path from the secret, revealing neither the secret nor the token', () => {
    expect(endpoint.path).toMatch(/^\/telegram\/[0-9a-f]{32}$/);
    expect(endpoint.url).toBe(`https://bot.example.test${endpoint.path}`);
    expect(endpoint.path).not.toContain(SECRET);
    expect(webhookEndpoint(PUBLIC_URL, `${SECRET}x`).path).not.toBe(endpoint.path);
  });

  it('refuses a secret short enough to guess, the literal "undefined" among them', () => {
    for (const secret of ['undefined', 'x', 'a'.repeat(31)]) {
      expect(() => webhookEndpoint(PUBLIC_URL, secret)).toThrow(/TELEGRAM_WEBHOOK_SECRET: use 32-256/);
    }
    expect(() => webhookEndpoint(PUBLIC_URL, 'a'.repeat(32))).not.toThrow();
    expect(() => webhookEndpoint(PUBLIC_URL, 'a'.repeat(257))).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('keeps a path prefix of the public URL', () => {
    expect(webhookEndpoint('https://example.test/bots/', SECRET).path).toBe(`/bots${endpoint.path}`);
  });

  it('refuses secrets Telegram would reject and non-https URLs', () => {
    expect(() => webhookEndpoint(PUBLIC_URL, 'has spaces')).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => webhookEndpoint(PUBLIC_URL, `${SECRET} `)).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => webhookEndpoint('http://bot.example.test/', SECRET)).toThrow(/TELEGRAM_WEBHOOK_URL/);
  });
});

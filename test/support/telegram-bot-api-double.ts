import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for https://api.telegram.org, reached through telegraf's `apiRoot` option. It
 * records every call (method, JSON or multipart fields, uploaded files) and answers with valid
 * Bot API JSON, so the real telegraf client runs end to end without the internet.
 */

export interface UploadedFile {
  readonly filename: string;
  readonly bytes: Buffer;
}

export interface RecordedCall {
  readonly method: string;
  /** JSON body, or the text fields of a multipart body (JSON-valued fields parsed). */
  readonly body: Record<string, unknown>;
  readonly files: Record<string, UploadedFile>;
}

export interface BotApiError {
  readonly error_code: number;
  readonly description: string;
}

export const TEST_BOT_INFO = {
  id: 7000001,
  is_bot: true as const,
  first_name: 'Privacy Bot',
  username: 'PrivacyTestBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

/** How long an empty getUpdates is held open, like Telegram's long poll but short. */
const LONG_POLL_MS = 100;

export class TelegramBotApiDouble {
  readonly calls: RecordedCall[] = [];
  private readonly server = http.createServer((req, res) => {
    this.serve(req, res).catch(() =>
      send(res, 500, { ok: false, error_code: 500, description: 'double failed' }),
    );
  });
  private readonly failures = new Map<string, BotApiError[]>();
  private pendingUpdates: unknown[] = [];
  private onChange: (() => void)[] = [];
  private nextMessageId = 1;

  private constructor(readonly token: string) {}

  static async start(token = '123456:TEST-token'): Promise<TelegramBotApiDouble> {
    const double = new TelegramBotApiDouble(token);
    await new Promise<void>((resolve) => double.server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Calls other than the polling loop's, in order. */
  get replyCalls(): RecordedCall[] {
    return this.calls.filter((call) => !['getUpdates', 'deleteWebhook', 'getMe'].includes(call.method));
  }

  /** Delivered by the next getUpdates. */
  queueUpdate(update: unknown): void {
    this.pendingUpdates.push(update);
    this.notify();
  }

  /** The next call to `method` fails with this Bot API error. */
  failNext(method: string, error: BotApiError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  async waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsTo(method).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} ${method} call(s)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.onChange.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.callsTo(method);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    const listeners = this.onChange;
    this.onChange = [];
    for (const listener of listeners) listener();
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match || match[1] !== this.token) {
      send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const method = match[2] ?? '';
    const call = { method, ...parseBody(raw, req.headers['content-type'] ?? '') };
    this.calls.push(call);
    this.notify();

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      send(res, failure.error_code, { ok: false, ...failure });
      return;
    }
    if (method === 'getUpdates') {
      send(res, 200, { ok: true, result: await this.takeUpdates(req, call.body.limit === 1) });
      return;
    }
    send(res, 200, { ok: true, result: this.resultFor(call) });
  }

  private async takeUpdates(req: http.IncomingMessage, offsetSyncOnly: boolean): Promise<unknown[]> {
    if (offsetSyncOnly) return [];
    if (this.pendingUpdates.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, LONG_POLL_MS);
        req.once('close', resolve);
        this.onChange.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const updates = this.pendingUpdates;
    this.pendingUpdates = [];
    return updates;
  }

  private resultFor(call: RecordedCall): unknown {
    const chat = { id: Number(call.body.chat_id), type: 'private' };
    const date = Math.floor(Date.now() / 1000);
    switch (call.method) {
      case 'getMe':
        return TEST_BOT_INFO;
      case 'sendMessage':
        return { message_id: this.nextMessageId++, date, chat, text: call.body.text };
      case 'sendDocument': {
        const file = call.files.document;
        return {
          message_id: this.nextMessageId++,
          date,
          chat,
          document: { file_id: 'doc-1', file_unique_id: 'doc-u1', file_name: file?.filename },
        };
      }
      default:
        return true;
    }
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
}

function parseBody(raw: Buffer, contentType: string): Pick<RecordedCall, 'body' | 'files'> {
  const boundary = /multipart\/form-data; boundary=(\S+)/.exec(contentType)?.[1];
  if (boundary) return parseMultipart(raw, boundary);
  const text = raw.toString('utf8');
  return { body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, files: {} };
}

/** Just enough multipart/form-data for what telegraf sends: name, optional filename, bytes. */
function parseMultipart(raw: Buffer, boundary: string): Pick<RecordedCall, 'body' | 'files'> {
  const body: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length + 2; // past the CRLF after the delimiter
    const end = raw.indexOf(delimiter, partStart);
    if (end === -1) break;
    const part = raw.subarray(partStart, end - 2); // minus the CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /; name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (filename !== undefined) files[name] = { filename, bytes: Buffer.from(content) };
    else body[name] = parseField(content.toString('utf8'));
    start = end;
  }
  return { body, files };
}

function parseField(value: string): unknown {
  if (!value.startsWith('{') && !value.startsWith('[')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

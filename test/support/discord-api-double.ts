/**
 * A loopback stand-in for Discord, so adapter tests drive the real discord.js code without the
 * internet.
 *
 * REST: `DiscordApiDouble` is an HTTP server that records every request (method, path, query, JSON
 * body or multipart parts) and answers with the minimal payloads discord.js parses. Point a client
 * at it with `new Client({ rest: { api: double.apiUrl } })`: `api` is @discordjs/rest's base URL
 * option (DefaultRestOptions.api in node_modules/@discordjs/rest/dist/index.js); the version
 * segment (`/v10`) is appended by the library and stripped again in `RecordedRequest.path`.
 *
 * Gateway: `connectWithoutGateway` and `dispatch` feed inbound events without a socket. They call
 * `client.ws.handlePacket(packet, shard)`, the very function the shard's socket listener calls for
 * each DISPATCH frame (discord.js/src/client/websocket/WebSocketManager.js). It runs the same
 * packet handlers and actions as production (READY builds `client.user` and `client.application`,
 * GUILD_CREATE fills the guild cache, MESSAGE_CREATE and INTERACTION_CREATE build Message and
 * Interaction objects and emit them). `handlePacket` and `triggerClientReady` are private in the
 * typings, hence the bracket access. The client's `login()` is never called.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ApplicationFlags,
  Client,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
} from 'discord.js';

export interface RecordedFile {
  readonly field: string;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface RecordedRequest {
  readonly method: string;
  /** Percent-decoded path after `/api/v10`, e.g. `/webhooks/1/abc/messages/@original`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  /** Parsed JSON body, or the `payload_json` part of a multipart body. */
  readonly json: unknown;
  readonly files: readonly RecordedFile[];
}

export interface DoubleResponse {
  readonly status: number;
  readonly body?: unknown;
}

type Responder = (request: RecordedRequest) => DoubleResponse;

interface Override {
  readonly method: string;
  readonly path: RegExp;
  readonly respond: Responder;
}

export const BOT_USER_ID = '100000000000000001';
export const APPLICATION_ID = '100000000000000002';

let nextSnowflake = 200000000000000000n;
/** Fresh, increasing snowflakes, so every created message has a distinct id. */
export function snowflake(): string {
  nextSnowflake += 1n;
  return nextSnowflake.toString();
}

export class DiscordApiDouble {
  readonly requests: RecordedRequest[] = [];
  private readonly overrides: Override[] = [];
  private readonly server = http.createServer((req, res) => void this.serve(req, res));

  get apiUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    // undici keeps connections alive; close them or the server never finishes closing.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answer matching requests differently (e.g. an error) for the rest of the test. */
  respond(method: string, path: RegExp, respond: Responder): void {
    this.overrides.unshift({ method, path, respond });
  }

  find(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { json, files } = await parseBody(req, Buffer.concat(chunks));
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, ''),
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      json,
      files,
    };
    this.requests.push(request);

    const override = this.overrides.find((o) => o.method === request.method && o.path.test(request.path));
    const { status, body } = (override?.respond ?? defaultResponse)(request);
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

async function parseBody(
  req: http.IncomingMessage,
  raw: Buffer,
): Promise<{ json: unknown; files: RecordedFile[] }> {
  const contentType = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { json: undefined, files: [] };
  if (contentType.startsWith('application/json'))
    return { json: JSON.parse(raw.toString('utf8')), files: [] };
  if (!contentType.startsWith('multipart/form-data')) return { json: raw.toString('utf8'), files: [] };

  // Node's fetch Request parses multipart bodies, so the double needs no multipart library.
  const form = await new Request('http://127.0.0.1/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  let json: unknown;
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') json = JSON.parse(value);
      continue;
    }
    files.push({
      field,
      name: value.name,
      contentType: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { json, files };
}

/** The smallest answers discord.js accepts for the routes the adapter uses. */
function defaultResponse(request: RecordedRequest): DoubleResponse {
  const { method, path } = request;
  const body = (request.json ?? {}) as { content?: string; components?: unknown[] };

  // Interaction callbacks answer 204 unless `with_response=true` is asked for.
  if (method === 'POST' && /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path)) return { status: 204 };
  if (method === 'POST' && /^\/channels\/[^/]+\/typing$/.test(path)) return { status: 204 };
  if (method === 'DELETE') return { status: 204 };

  const channelMessage = /^\/channels\/([^/]+)\/messages$/.exec(path);
  if (method === 'POST' && channelMessage) return { status: 200, body: botMessage(channelMessage[1]!, body) };

  // Webhook sends (follow-ups) and edits of the original interaction reply.
  if (
    /^\/webhooks\/[^/]+\/[^/]+(\/messages\/[^/]+)?$/.test(path) &&
    (method === 'POST' || method === 'PATCH')
  ) {
    return { status: 200, body: botMessage(snowflake(), body) };
  }

  if (method === 'POST' && path === '/users/@me/channels') {
    const recipientId = (request.json as { recipient_id?: string } | undefined)?.recipient_id ?? '0';
    return { status: 200, body: dmChannel(`dm-of-${recipientId}`, recipientId) };
  }

  // Bulk overwrite of application commands echoes the commands with ids.
  if (method === 'PUT' && /^\/applications\/[^/]+(\/guilds\/[^/]+)?\/commands$/.test(path)) {
    const commands = Array.isArray(request.json) ? (request.json as Record<string, unknown>[]) : [];
    return {
      status: 200,
      body: commands.map((command) => ({
        ...command,
        id: snowflake(),
        application_id: APPLICATION_ID,
        version: '1',
      })),
    };
  }

  return { status: 404, body: { code: 0, message: '404: Not Found' } };
}

function botMessage(channelId: string, body: { content?: string; components?: unknown[] }) {
  return {
    id: snowflake(),
    channel_id: channelId,
    type: 0,
    content: body.content ?? '',
    author: {
      id: BOT_USER_ID,
      username: 'privacy-bot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    },
    ...plainMessageFields(),
    timestamp: new Date().toISOString(),
    components: body.components ?? [],
  };
}

/** The fields of a message object that a plain text message leaves at their defaults (fresh arrays each time). */
export function plainMessageFields() {
  return {
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
  };
}

function dmChannel(id: string, recipientId: string) {
  return {
    id,
    type: 1,
    last_message_id: null,
    recipients: [
      { id: recipientId, username: 'someone', discriminator: '0', global_name: null, avatar: null },
    ],
  };
}

/**
 * What a WebSocketShard is to the packet handlers: an id, and `checkReady`, which READY calls to
 * start waiting for the guilds. Readiness is signalled by connectWithoutGateway instead.
 */
const STAND_IN_SHARD = { id: 0, checkReady: () => undefined };

/**
 * Make `client` look logged in, without a gateway connection, in the order Discord uses: set the
 * REST token (what `login()` does), READY (builds `client.user` and `client.application`), one
 * GUILD_CREATE per guild the bot is already in, then mark the client ready. Guilds dispatched
 * after this are joins (discord.js emits `guildCreate` for them).
 */
export function connectWithoutGateway(
  client: Client,
  guilds: readonly GatewayGuildCreateDispatchData[] = [],
): Promise<void> {
  client.rest.setToken('test');
  const ready: GatewayReadyDispatchData = {
    v: 10,
    user: {
      id: BOT_USER_ID,
      username: 'privacy-bot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    },
    guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
    session_id: 'session',
    resume_gateway_url: 'wss://127.0.0.1',
    application: { id: APPLICATION_ID, flags: 0 as ApplicationFlags, flags_new: '0' },
  };
  dispatch(client, 'READY', ready);
  for (const guild of guilds) dispatch(client, 'GUILD_CREATE', guild);
  client.ws['triggerClientReady']();
  return Promise.resolve();
}

/** Feed one gateway DISPATCH event (`t`, `d`) through discord.js's own packet handlers. */
export function dispatch(client: Client, event: string, data: unknown): void {
  client.ws['handlePacket']({ op: 0, s: 1, t: event, d: data }, STAND_IN_SHARD as never);
}

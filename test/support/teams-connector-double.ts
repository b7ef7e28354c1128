import http from 'node:http';

/** An activity as it arrived on the wire, typed by the fields the tests read. */
export interface SentActivity {
  readonly type: string;
  readonly text?: string;
  readonly attachments?: readonly SentAttachment[];
  readonly [field: string]: unknown;
}

export interface SentAttachment {
  readonly contentType: string;
  readonly name?: string;
  readonly contentUrl?: string;
  readonly content?: unknown;
}

/** One activity the bot sent through the Bot Connector API. */
export interface RecordedActivity {
  readonly conversationId: string;
  /** Set when botbuilder replied to an incoming activity (POST .../activities/{replyToId}). */
  readonly replyToId: string | undefined;
  /** Present only if the bot obtained a token: with authentication off it must stay undefined. */
  readonly authorization: string | undefined;
  readonly activity: SentActivity;
}

/** One createConversation call: how the bot opens a person's personal chat. */
export interface RecordedConversation {
  readonly parameters: Record<string, unknown>;
  readonly authorization: string | undefined;
}

/** One PUT to an upload URL, standing in for the OneDrive upload session of a FileConsentCard. */
export interface RecordedUpload {
  readonly name: string;
  readonly contentRange: string | undefined;
  readonly bytes: Buffer;
}

/**
 * A loopback double of the Bot Connector REST API (the `serviceUrl` of an activity) plus an upload
 * endpoint. It records what the real botbuilder ConnectorClient sends and answers `{ id }` as the
 * service does, so tests drive botbuilder end to end without the internet.
 */
export class TeamsConnectorDouble {
  readonly activities: RecordedActivity[] = [];
  readonly uploads: RecordedUpload[] = [];
  readonly createdConversations: RecordedConversation[] = [];
  readonly unexpected: string[] = [];
  /** Status the upload endpoint answers; set to 500 to test a failed upload. */
  uploadStatus = 201;
  /**
   * Status createConversation answers. Teams answers 403 when the app is installed neither for
   * the person nor in a team of theirs.
   */
  createConversationStatus = 201;
  private nextId = 1;

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<TeamsConnectorDouble> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('connector double has no port');
    const double = new TeamsConnectorDouble(server, `http://127.0.0.1:${address.port}`);
    server.on(
      'request',
      (req: http.IncomingMessage, res: http.ServerResponse) => void double.handle(req, res),
    );
    return double;
  }

  /** What goes into an activity's `serviceUrl`. Teams' own service URLs end with a slash too. */
  get serviceUrl(): string {
    return `${this.baseUrl}/`;
  }

  /** The id this double gives a person's personal chat (Teams reuses one per person and bot). */
  personalConversationOf(userId: string): string {
    return `a:personal-chat-of-${userId}`;
  }

  uploadUrl(name: string): string {
    return `${this.baseUrl}/upload/${encodeURIComponent(name)}`;
  }

  /** Activities of one conversation, in the order they arrived. */
  sentTo(conversationId: string): SentActivity[] {
    return this.activities.filter((a) => a.conversationId === conversationId).map((a) => a.activity);
  }

  reset(): void {
    this.activities.length = 0;
    this.uploads.length = 0;
    this.createdConversations.length = 0;
    this.unexpected.length = 0;
    this.uploadStatus = 201;
    this.createConversationStatus = 201;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', this.baseUrl).pathname;
    const activityRoute = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (req.method === 'POST' && activityRoute) {
      const [, conversationId = '', replyToId] = activityRoute;
      this.activities.push({
        conversationId: decodeURIComponent(conversationId),
        replyToId: replyToId === undefined ? undefined : decodeURIComponent(replyToId),
        authorization: req.headers.authorization,
        activity: JSON.parse(body.toString('utf8')),
      });
      return json(res, 200, { id: `sent-${this.nextId++}` });
    }
    if (req.method === 'POST' && path === '/v3/conversations') {
      const parameters = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      this.createdConversations.push({ parameters, authorization: req.headers.authorization });
      if (this.createConversationStatus >= 400) {
        return json(res, this.createConversationStatus, {
          error: { code: 'Forbidden', message: 'The bot is not installed for this user' },
        });
      }
      const [member] = (parameters.members ?? []) as { id?: string }[];
      return json(res, this.createConversationStatus, { id: this.personalConversationOf(member?.id ?? '') });
    }
    const uploadRoute = /^\/upload\/([^/]+)$/.exec(path);
    if (req.method === 'PUT' && uploadRoute) {
      this.uploads.push({
        name: decodeURIComponent(uploadRoute[1] ?? ''),
        contentRange: req.headers['content-range'],
        bytes: body,
      });
      return json(res, this.uploadStatus, {});
    }
    this.unexpected.push(`${req.method ?? '?'} ${path}`);
    return json(res, 404, { error: { code: 'NotFound' } });
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The Bot Framework activity described by the fields this adapter reads and writes, in the style of
 * grammY's `frameworks.ts`: no botbuilder type appears here, so moving to the Microsoft 365 Agents
 * SDK (same activity schema) only swaps the glue in teams-channel.ts and cloud-adapter.ts.
 */

/** An incoming activity. Fields are `unknown` unless isActivityEnvelope checked them: it came off the wire. */
export interface InboundActivity {
  readonly type: string;
  readonly id?: unknown;
  readonly name?: unknown;
  readonly channelId?: unknown;
  readonly text?: unknown;
  readonly value?: unknown;
  readonly locale?: unknown;
  readonly from: { readonly id: string; readonly aadObjectId?: unknown; readonly role?: unknown };
  readonly recipient?: unknown;
  readonly conversation: {
    readonly id: string;
    readonly conversationType?: unknown;
    readonly isGroup?: unknown;
  };
  readonly membersAdded?: unknown;
  readonly entities?: unknown;
}

export interface OutboundAttachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

/** What we send. Mutable on purpose: botbuilder stamps the conversation reference onto it. */
export interface OutboundActivity {
  type: 'message' | 'typing' | 'invokeResponse';
  text?: string;
  attachments?: OutboundAttachment[];
  value?: unknown;
}

/**
 * The minimum an activity needs before it is worth handing to the adapter: without these fields
 * there is nobody to answer, nowhere to answer to, and no bot identity to tell the bot's own
 * activities from a person's (Teams always names the recipient). Anything less is a 400, decided
 * here rather than inside botbuilder, which logs to the console and may answer 500.
 */
export function isActivityEnvelope(body: unknown): body is InboundActivity & { serviceUrl: string } {
  if (!isRecord(body)) return false;
  const { type, serviceUrl, conversation, from, recipient } = body;
  return (
    isNonEmptyString(type) &&
    isNonEmptyString(serviceUrl) &&
    URL.canParse(serviceUrl) &&
    isRecord(conversation) &&
    isNonEmptyString(conversation.id) &&
    isRecord(from) &&
    isNonEmptyString(from.id) &&
    isRecord(recipient) &&
    isNonEmptyString(recipient.id)
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

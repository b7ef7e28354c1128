import type { IncomingMessage } from '../../src/core/messages';
import { readActionId } from './action-payload';
import { isNonEmptyString, isRecord, type InboundActivity } from './activity-shape';
import { readCardActionId } from './card-action';
import { asSlashCommand } from './commands';
import { readFileConsentAnswer, type FileConsentAnswer } from './file-consent-answer';

/** What a Teams activity means to us. Everything we do not route is ignored, never an error. */
export type ActivityRoute =
  | { readonly kind: 'turn'; readonly message: IncomingMessage }
  /** `answer` is undefined when the invoke value is not a consent answer we can read. */
  | { readonly kind: 'file-consent'; readonly answer: FileConsentAnswer | undefined }
  /** An Action.Execute (Universal Actions); `message` is undefined when it names no action we can route. */
  | { readonly kind: 'card-action'; readonly message: IncomingMessage | undefined }
  | { readonly kind: 'ignored' };

const IGNORED: ActivityRoute = { kind: 'ignored' };

export function routeActivity(activity: InboundActivity, receivedAt: Date): ActivityRoute {
  // A bot never speaks to the engine: not this bot echoed back, not another one (role "bot").
  if (activity.from.role === 'bot' || activity.from.id === recipientId(activity)) return IGNORED;
  switch (activity.type) {
    case 'message':
      return isAddressedToBot(activity)
        ? { kind: 'turn', message: fromMessage(activity, receivedAt) }
        : IGNORED;
    case 'conversationUpdate':
      return botWasAdded(activity)
        ? { kind: 'turn', message: { ...common(activity, receivedAt), event: 'conversation-started' } }
        : IGNORED;
    case 'invoke':
      return routeInvoke(activity, receivedAt);
    default:
      // typing, messageReaction, installationUpdate, messageUpdate, ...: nothing the engine acts on.
      return IGNORED;
  }
}

function routeInvoke(activity: InboundActivity, receivedAt: Date): ActivityRoute {
  if (activity.name === 'fileConsent/invoke') {
    return { kind: 'file-consent', answer: readFileConsentAnswer(activity.value) };
  }
  if (activity.name === 'adaptiveCard/action') {
    const action = readCardActionId(activity.value);
    return { kind: 'card-action', message: action ? { ...common(activity, receivedAt), action } : undefined };
  }
  return IGNORED;
}

/**
 * In a personal chat everything is for the bot. In channels and group chats only what is
 * addressed to it: an @mention, or a press of one of its buttons (the card's data comes back as
 * `value`, without a mention). Teams delivers only those unless the app holds resource-specific
 * consent to read all messages; this check keeps chatter out even if it does.
 */
function isAddressedToBot(activity: InboundActivity): boolean {
  if (isPersonalConversation(activity.conversation)) return true;
  return readActionId(activity.value) !== undefined || mentionsRecipient(activity);
}

/**
 * Teams personal scope is the one-to-one chat. Channels that do not say (the Emulator, Web Chat)
 * are one-to-one unless they flag the conversation as a group.
 */
export function isPersonalConversation(conversation: InboundActivity['conversation']): boolean {
  const type = conversation.conversationType;
  if (type === undefined || type === null || type === '') return conversation.isGroup !== true;
  return type === 'personal';
}

function fromMessage(activity: InboundActivity, receivedAt: Date): IncomingMessage {
  // A button press is not something the person typed: route it by id only.
  const action = readActionId(activity.value);
  if (action) return { ...common(activity, receivedAt), action };
  const text =
    typeof activity.text === 'string' ? asSlashCommand(stripRecipientMentions(activity.text, activity)) : '';
  return text ? { ...common(activity, receivedAt), text } : common(activity, receivedAt);
}

function common(activity: InboundActivity, receivedAt: Date): IncomingMessage {
  const { from, conversation, locale } = activity;
  return {
    channel: 'teams',
    conversationKey: conversation.id,
    // from.id differs for each bot app; the Entra object id is the person's stable id. Prefer it.
    userKey: isNonEmptyString(from.aadObjectId) ? from.aadObjectId : from.id,
    isPrivateChat: isPersonalConversation(conversation),
    receivedAt,
    raw: activity,
    ...(isNonEmptyString(locale) ? { localeHint: locale } : {}),
  };
}

/**
 * In channels and group chats Teams puts `<at>Bot</at>` into the text. Same result as
 * TurnContext.removeRecipientMention, without mutating the activity and for every occurrence.
 */
export function stripRecipientMentions(text: string, activity: InboundActivity): string {
  const botId = recipientId(activity);
  const entities = Array.isArray(activity.entities) ? (activity.entities as unknown[]) : [];
  let stripped = text;
  for (const entity of entities) {
    if (!isRecord(entity) || entity.type !== 'mention' || !isNonEmptyString(entity.text)) continue;
    if (!isRecord(entity.mentioned) || entity.mentioned.id !== botId) continue;
    stripped = stripped.replaceAll(entity.text, '');
  }
  return stripped.trim();
}

function mentionsRecipient(activity: InboundActivity): boolean {
  const botId = recipientId(activity);
  const entities = Array.isArray(activity.entities) ? (activity.entities as unknown[]) : [];
  return (
    botId !== undefined &&
    entities.some(
      (entity) =>
        isRecord(entity) &&
        entity.type === 'mention' &&
        isRecord(entity.mentioned) &&
        entity.mentioned.id === botId,
    )
  );
}

function botWasAdded(activity: InboundActivity): boolean {
  const botId = recipientId(activity);
  if (!botId || !Array.isArray(activity.membersAdded)) return false;
  return (activity.membersAdded as unknown[]).some((member) => isRecord(member) && member.id === botId);
}

function recipientId(activity: InboundActivity): string | undefined {
  const recipient = activity.recipient;
  return isRecord(recipient) && isNonEmptyString(recipient.id) ? recipient.id : undefined;
}

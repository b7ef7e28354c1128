/**
 * Activities shaped as Teams sends them (ids and fields as in Microsoft's documented examples),
 * addressed to the loopback connector double through `serviceUrl`.
 */
export const BOT = { id: '28:bot-app-id', name: 'PrivacyBot' };
export const USER = { id: '29:user-one', aadObjectId: 'aad-object-user-one', name: 'Ana' };
export const PERSONAL = {
  id: 'a:personal-conversation-1',
  conversationType: 'personal',
  tenantId: 'tenant-1',
};
export const GROUP = {
  id: '19:group-chat-1@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: 'tenant-1',
};

let counter = 0;

export function activity(serviceUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  counter += 1;
  return {
    id: `incoming-${counter}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'de-DE',
    from: USER,
    recipient: BOT,
    conversation: PERSONAL,
    ...fields,
  };
}

export function message(serviceUrl: string, text: string, fields: Record<string, unknown> = {}) {
  return activity(serviceUrl, { type: 'message', text, textFormat: 'plain', ...fields });
}

/** What Teams posts when someone presses an Adaptive Card Action.Submit button. */
export function buttonPress(serviceUrl: string, data: unknown, fields: Record<string, unknown> = {}) {
  return activity(serviceUrl, { type: 'message', value: data, ...fields });
}

/** A channel conversation: Teams appends the root message id to the channel's thread id. */
export const CHANNEL = {
  id: '19:channel-general@thread.tacv2;messageid=1700000000000',
  conversationType: 'channel',
  isGroup: true,
  tenantId: 'tenant-1',
};

/** A group chat (or channel) message that @mentions the bot, as Teams writes it. */
export function groupMention(
  serviceUrl: string,
  rest: string,
  conversation: Record<string, unknown> = GROUP,
) {
  return message(serviceUrl, `<at>${BOT.name}</at> ${rest}`, {
    conversation,
    entities: [
      { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT },
      { type: 'clientInfo', locale: 'de-DE', platform: 'Web' },
    ],
  });
}

export function membersAdded(serviceUrl: string, members: readonly { id: string }[]) {
  return activity(serviceUrl, { type: 'conversationUpdate', membersAdded: members });
}

export function fileConsentInvoke(serviceUrl: string, value: unknown, fields: Record<string, unknown> = {}) {
  return activity(serviceUrl, { type: 'invoke', name: 'fileConsent/invoke', value, ...fields });
}

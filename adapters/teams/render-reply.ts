import type { FileAttachment, OutgoingMessage } from '../../src/core/messages';
import type { OutboundActivity } from './activity-shape';
import { actionsCard, fileConsentCard, inlineFile } from './cards';
import { notice } from './notices';
import type { PendingFile } from './pending-files';

/** Where the reply goes, as far as rendering cares. */
export interface ReplyScope {
  readonly conversationKey: string;
  readonly isPrivateChat: boolean;
  /** channelId `msteams`: the only client with file consent cards (not the Emulator or Web Chat). */
  readonly isTeamsClient: boolean;
  readonly locale: unknown;
}

/** Where a file waits for consent; PendingFiles in production. */
export interface FileParking {
  put(file: PendingFile): string;
}

/**
 * One neutral reply as Teams activities.
 *
 * Buttons: always an Adaptive Card with Action.Submit, in every scope. Teams suggested actions
 * were the alternative for personal chats, but Teams documents only imBack (which posts the label
 * as text, losing the action id) and shows at most three; the card carries `{ action: id }` back,
 * shows every button and works the same in group chats and channels.
 *
 * Files: Teams bots cannot attach arbitrary files, so in a Teams personal chat the file waits in
 * memory behind a FileConsentCard (see file-consent.ts). Clients without consent cards get it
 * inline as a data: URL. In group chats and channels the file is never posted: an export is one
 * person's data and every member would see it.
 */
export function renderReply(
  reply: OutgoingMessage,
  scope: ReplyScope,
  parking: FileParking,
): OutboundActivity[] {
  if (reply.kind === 'typing') return [{ type: 'typing' }];
  // privateToSpeaker decides where a reply goes, not how it looks: see reply-delivery.ts.
  const activities: OutboundActivity[] = [];
  const actions = reply.actions ?? [];
  if (actions.length > 0)
    activities.push({ type: 'message', attachments: [actionsCard(reply.text, actions)] });
  else if (reply.text) activities.push({ type: 'message', text: reply.text });
  if (reply.file) activities.push(renderFile(reply.file, scope, parking));
  return activities;
}

function renderFile(file: FileAttachment, scope: ReplyScope, parking: FileParking): OutboundActivity {
  if (!scope.isPrivateChat) return { type: 'message', text: notice('exportPersonalOnly', scope.locale) };
  if (!scope.isTeamsClient) return { type: 'message', attachments: [inlineFile(file)] };
  const pendingFileId = parking.put({
    conversationKey: scope.conversationKey,
    name: file.name,
    mime: file.mime,
    bytes: file.bytes,
  });
  return { type: 'message', attachments: [fileConsentCard(file, file.name, pendingFileId)] };
}

import type { Action, FileAttachment } from '../../src/core/messages';
import { toActionPayload } from './action-payload';
import type { OutboundAttachment } from './activity-shape';
import type { FileConsentContext, FileUploadTarget } from './file-consent-answer';

/**
 * Attachment builders, plain JSON so they survive an SDK change. Content types are the ones Teams
 * documents for Adaptive Cards and for the file consent and file info cards.
 */
export const CONTENT_TYPES = {
  adaptiveCard: 'application/vnd.microsoft.card.adaptive',
  fileConsent: 'application/vnd.microsoft.teams.card.file.consent',
  fileInfo: 'application/vnd.microsoft.teams.card.file.info',
} as const;

/**
 * The text and one Action.Submit per action; pressing one posts a message activity whose `value`
 * is `{ action: id }`. Version 1.4 renders on Teams desktop, web and mobile.
 */
export function actionsCard(text: string, actions: readonly Action[]): OutboundAttachment {
  return {
    contentType: CONTENT_TYPES.adaptiveCard,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
      fallbackText: text,
      body: text ? [{ type: 'TextBlock', text, wrap: true }] : [],
      actions: actions.map((action) => ({
        type: 'Action.Submit',
        title: action.label,
        data: toActionPayload(action.id),
      })),
    },
  };
}

/** Asks the person to let the bot write `file` to their OneDrive; nothing is uploaded before they accept. */
export function fileConsentCard(
  file: FileAttachment,
  description: string,
  pendingFileId: string,
): OutboundAttachment {
  const context: FileConsentContext = { pendingFileId };
  return {
    contentType: CONTENT_TYPES.fileConsent,
    name: file.name,
    content: {
      description,
      sizeInBytes: file.bytes.length,
      acceptContext: context,
      declineContext: context,
    },
  };
}

/** Shows the uploaded file in the chat, pointing at the person's own copy. */
export function fileInfoCard(upload: FileUploadTarget): OutboundAttachment {
  return {
    contentType: CONTENT_TYPES.fileInfo,
    contentUrl: upload.contentUrl,
    name: upload.name,
    content: {
      ...(upload.uniqueId ? { uniqueId: upload.uniqueId } : {}),
      ...(upload.fileType ? { fileType: upload.fileType } : {}),
    },
  };
}

/** For clients without consent cards (Emulator, Web Chat): the file inline, as the Bot Framework allows. */
export function inlineFile(file: FileAttachment): OutboundAttachment {
  return {
    contentType: file.mime,
    name: file.name,
    contentUrl: `data:${file.mime};base64,${file.bytes.toString('base64')}`,
  };
}

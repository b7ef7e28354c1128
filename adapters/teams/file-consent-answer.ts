import { isNonEmptyString, isRecord } from './activity-shape';

/**
 * The FileConsentCard round trip. We put `{ pendingFileId }` into the card's accept and decline
 * contexts; Teams sends the chosen one back in a `fileConsent/invoke` activity, with
 * `uploadInfo` (a OneDrive upload session in the person's own drive) when they accepted.
 */
export interface FileConsentContext {
  readonly pendingFileId: string;
}

export interface FileUploadTarget {
  readonly uploadUrl: string;
  readonly contentUrl: string;
  readonly name: string;
  readonly uniqueId?: string;
  readonly fileType?: string;
}

export type FileConsentAnswer =
  | { readonly decision: 'accept'; readonly pendingFileId: string; readonly upload: FileUploadTarget }
  | { readonly decision: 'decline'; readonly pendingFileId: string };

export function readFileConsentAnswer(value: unknown): FileConsentAnswer | undefined {
  if (!isRecord(value) || !isRecord(value.context)) return undefined;
  const pendingFileId = value.context.pendingFileId;
  if (!isNonEmptyString(pendingFileId)) return undefined;
  if (value.action === 'decline') return { decision: 'decline', pendingFileId };
  if (value.action !== 'accept' || !isRecord(value.uploadInfo)) return undefined;
  const { uploadUrl, contentUrl, name, uniqueId, fileType } = value.uploadInfo;
  if (!isNonEmptyString(uploadUrl) || !isNonEmptyString(contentUrl) || !isNonEmptyString(name))
    return undefined;
  const upload: FileUploadTarget = {
    uploadUrl,
    contentUrl,
    name,
    ...(isNonEmptyString(uniqueId) ? { uniqueId } : {}),
    ...(isNonEmptyString(fileType) ? { fileType } : {}),
  };
  return { decision: 'accept', pendingFileId, upload };
}

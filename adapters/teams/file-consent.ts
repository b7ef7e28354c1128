import type { Logger } from '../../src/logging/logger';
import type { OutboundActivity } from './activity-shape';
import { fileInfoCard } from './cards';
import type { FileConsentAnswer } from './file-consent-answer';
import { notice } from './notices';
import { PendingFiles } from './pending-files';

export interface FileConsentOptions {
  readonly pendingFiles: PendingFiles;
  readonly logger: Logger;
  /**
   * Upload URLs come from the invoke activity. With authentication on, that activity is signed by
   * the Bot Framework and the URL is a OneDrive https address; plain http is accepted only with
   * authentication off (the loopback tests, local development).
   */
  readonly allowHttpUploads: boolean;
  readonly uploadTimeoutMs: number;
}

/** The invoke response status and what to post in the chat. */
export interface ConsentOutcome {
  readonly status: number;
  readonly replies: OutboundActivity[];
}

class FileUploadError extends Error {
  constructor(readonly code: string) {
    super(`file upload failed: ${code}`);
    this.name = 'FileUploadError';
  }
}

/**
 * The second half of the FileConsentCard flow. Accept: PUT the bytes to the upload session Teams
 * opened in the person's OneDrive, then show a FileInfoCard. Decline or expiry: say so. Either
 * way the pending copy is gone afterwards. Any readable answer gets 200: the invoke was handled,
 * and the person learns the outcome from the chat.
 */
export async function answerFileConsent(
  answer: FileConsentAnswer | undefined,
  conversationKey: string,
  locale: unknown,
  options: FileConsentOptions,
): Promise<ConsentOutcome> {
  if (!answer) return { status: 400, replies: [] };
  const file = options.pendingFiles.take(answer.pendingFileId, conversationKey);
  if (!file) return { status: 200, replies: [say(notice('exportExpired', locale))] };
  try {
    if (answer.decision === 'decline')
      return { status: 200, replies: [say(notice('exportDeclined', locale))] };
    await putToUploadSession(answer.upload.uploadUrl, file.bytes, options);
    return { status: 200, replies: [{ type: 'message', attachments: [fileInfoCard(answer.upload)] }] };
  } catch (error) {
    options.logger.warn({ err: error }, 'teams export upload failed');
    return { status: 200, replies: [say(notice('exportFailed', locale))] };
  } finally {
    PendingFiles.wipe(file);
  }
}

/** One PUT of the whole file, as the OneDrive upload session protocol allows for small files. */
async function putToUploadSession(
  uploadUrl: string,
  bytes: Buffer,
  options: FileConsentOptions,
): Promise<void> {
  const url = URL.canParse(uploadUrl) ? new URL(uploadUrl) : undefined;
  const allowed = url?.protocol === 'https:' || (options.allowHttpUploads && url?.protocol === 'http:');
  if (!url || !allowed) throw new FileUploadError('URL_REJECTED');
  const response = await fetch(url, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Range': `bytes 0-${Math.max(bytes.length - 1, 0)}/${bytes.length}`,
    },
    body: bytes,
    signal: AbortSignal.timeout(options.uploadTimeoutMs),
  });
  // Drain the body so the connection is released; its content is not needed.
  await response.arrayBuffer();
  if (!response.ok) throw new FileUploadError(`HTTP_${response.status}`);
}

function say(text: string): OutboundActivity {
  return { type: 'message', text };
}

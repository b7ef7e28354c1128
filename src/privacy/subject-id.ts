import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ChannelName } from '../core/messages';

/**
 * Pseudonymous subject ids: HMAC-SHA256(pepper, "channel:userId"). Collections store these, never
 * raw platform ids, so a database dump alone does not say who anyone is (GDPR Art. 4(5), 32).
 */
export class SubjectIds {
  constructor(private readonly pepper: Buffer) {}

  of(channel: ChannelName, userKey: string): string {
    return this.hash(`${channel}:${userKey}`);
  }

  /** Conversation ids are pseudonymised the same way, under their own prefix. */
  conversation(channel: ChannelName, conversationKey: string): string {
    return this.hash(`conversation:${channel}:${conversationKey}`);
  }

  private hash(value: string): string {
    return createHmac('sha256', this.pepper).update(value).digest('hex');
  }
}

const PEPPER_FILE = 'subject-pepper';

/**
 * The pepper comes from configuration; in development it is generated once into the data folder
 * (mode 0600), because a pepper that changed between runs would orphan everyone's data.
 */
export async function loadPepper(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, PEPPER_FILE);
  try {
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pepper = randomBytes(32);
  await fs.writeFile(file, pepper.toString('base64'), { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
}

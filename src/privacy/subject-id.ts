import { createHmac } from 'node:crypto';
import path from 'node:path';
import type { ChannelName } from '../core/messages';
import { createSecretFileIfMissing, decodeSecret, readSecretFile } from '../crypto/secret-file';

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

  /**
   * A tag the bot can later check it made, under a key derived from the pepper for `label` alone
   * (the derivation input starts with "key:", which no subject or conversation id input does).
   * Consent buttons carry one (dialogs/consent/buttons.ts): stateless, nothing stored to check it.
   */
  tag(label: string, value: string): Buffer {
    const key = createHmac('sha256', this.pepper).update(`key:${label}`).digest();
    return createHmac('sha256', key).update(value).digest();
  }

  private hash(value: string): string {
    return createHmac('sha256', this.pepper).update(value).digest('hex');
  }
}

const PEPPER_FILE = 'subject-pepper';

/** Generated peppers are 32 random bytes; an operator's file may hold more, never fewer. */
const PEPPER_BYTES = 32;

/**
 * The pepper comes from configuration; in development it is generated once into the data folder
 * (mode 0600), because a pepper that changed between runs would orphan everyone's data. The file
 * is read strictly: an empty, truncated or edited file would otherwise be a short or empty HMAC
 * key, and subject ids could be reversed by trying every platform id. One that others could
 * read or change is refused too: whoever knows or sets the pepper can link ids to people.
 */
export async function loadPepper(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, PEPPER_FILE);
  await createSecretFileIfMissing(file, PEPPER_BYTES);
  return decodeSecret(await readSecretFile(file), file, {
    bytes: PEPPER_BYTES,
    atLeast: true,
    fix:
      'restore the file from a backup; deleting it makes a new pepper, and everyone the bot ' +
      'knew becomes a stranger whose stored data can no longer be found (or set SUBJECT_ID_PEPPER)',
  });
}

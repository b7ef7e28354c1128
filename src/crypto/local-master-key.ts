import path from 'node:path';
import { DATA_KEY_BYTES } from './key-provider';
import { createSecretFileIfMissing, decodeSecret, readSecretFile } from './secret-file';

export const LOCAL_MASTER_KEY_FILE = 'local-master.key';

export type MasterKeySource = 'environment' | 'existing-file' | 'new-file';

/** Decode LOCAL_MASTER_KEY: strict base64 of exactly 32 bytes. */
function decodeMasterKey(base64: string, origin: string): Buffer {
  return decodeSecret(base64, origin, {
    bytes: DATA_KEY_BYTES,
    fix: `set it to the key this deployment has always used (a new one: \`openssl rand -base64 ${DATA_KEY_BYTES}\`)`,
  });
}

/**
 * The development master key: LOCAL_MASTER_KEY when set, else `<dataDir>/local-master.key`,
 * created on first start with mode 0600. A key file that others can read or change is refused
 * rather than used (whoever can read it can read every stored message), and so is a damaged one:
 * it is never silently replaced, because stored data can only be read with the original.
 */
export async function loadLocalMasterKey(options: {
  readonly base64FromEnv: string | undefined;
  readonly dataDir: string;
}): Promise<{ key: Buffer; source: MasterKeySource; file?: string }> {
  if (options.base64FromEnv) {
    return { key: decodeMasterKey(options.base64FromEnv, 'LOCAL_MASTER_KEY'), source: 'environment' };
  }
  const file = path.join(options.dataDir, LOCAL_MASTER_KEY_FILE);
  const created = await createSecretFileIfMissing(file, DATA_KEY_BYTES);
  return { key: await readMasterKeyFile(file), source: created ? 'new-file' : 'existing-file', file };
}

/**
 * Read a key file (the current one, or a previous one during rotation): mode and owner first,
 * then strict base64 of 32 bytes that are not all zero or a short pattern.
 */
export async function readMasterKeyFile(file: string): Promise<Buffer> {
  return decodeSecret(await readSecretFile(file), file, {
    bytes: DATA_KEY_BYTES,
    fix:
      'restore the file from a backup (stored data cannot be read without the original key); ' +
      'only where nothing was stored yet, delete it and a new key is made',
  });
}

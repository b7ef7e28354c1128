import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors';
import { DATA_KEY_BYTES } from './key-provider';

export const LOCAL_MASTER_KEY_FILE = 'local-master.key';

/** Group and others may not read, write or execute a key file. */
const FORBIDDEN_MODE_BITS = 0o077;

export type MasterKeySource = 'environment' | 'existing-file' | 'new-file';

/** Decode LOCAL_MASTER_KEY (or a key file's content): base64 of exactly 32 bytes. */
export function decodeMasterKey(base64: string, origin: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== DATA_KEY_BYTES) {
    key.fill(0);
    throw new ConfigError(`${origin}: must be base64 of exactly ${DATA_KEY_BYTES} random bytes`);
  }
  return key;
}

/**
 * The development master key: LOCAL_MASTER_KEY when set, else `<dataDir>/local-master.key`,
 * created on first start with mode 0600. A key file others can read is refused rather than used:
 * whoever can read it can read every stored message.
 */
export async function loadLocalMasterKey(options: {
  readonly base64FromEnv: string | undefined;
  readonly dataDir: string;
}): Promise<{ key: Buffer; source: MasterKeySource; file?: string }> {
  if (options.base64FromEnv) {
    return { key: decodeMasterKey(options.base64FromEnv, 'LOCAL_MASTER_KEY'), source: 'environment' };
  }
  const file = path.join(options.dataDir, LOCAL_MASTER_KEY_FILE);
  const created = await createKeyFileIfMissing(file);
  return { key: await readMasterKeyFile(file), source: created ? 'new-file' : 'existing-file', file };
}

/** Read a key file (the current one, or a previous one during rotation), checking its mode first. */
export async function readMasterKeyFile(file: string): Promise<Buffer> {
  const stat = await fs.stat(file);
  // POSIX mode bits mean nothing on Windows; there the ACLs of the data directory protect it.
  if (process.platform !== 'win32' && (stat.mode & FORBIDDEN_MODE_BITS) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new ConfigError(
      `${file}: key file has mode ${mode}; run \`chmod 600 ${file}\` (only the owner may read it)`,
    );
  }
  return decodeMasterKey(await fs.readFile(file, 'utf8'), file);
}

/**
 * Write to a private temporary file, then hard-link it into place: link() fails if the target
 * exists, so two processes starting at once agree on one key and nobody reads a half-written file.
 */
async function createKeyFileIfMissing(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return false;
  } catch {
    // Missing: create it below.
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomUUID()}.tmp`;
  const key = randomBytes(DATA_KEY_BYTES);
  try {
    await fs.writeFile(temporary, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await fs.link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    key.fill(0);
    await fs.rm(temporary, { force: true });
  }
}

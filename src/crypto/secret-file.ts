import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors';

/**
 * Secrets kept in files (the local master key, the subject-id pepper): created once, private to
 * the owner, and decoded strictly. A damaged file must stop start-up: read leniently, an empty
 * or edited file becomes an empty or all-zero key, and everything "protected" by it is open.
 * Errors name the file and the fix, never the content.
 */

/** Group and others may not read, write or execute a secret file. */
const FORBIDDEN_MODE_BITS = 0o077;

/** Canonical base64 with padding, nothing else (Buffer.from would skip junk characters). */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * 32 random bytes take fewer than 8 distinct values with a probability below 1e-36, so fewer
 * means a hand-made or damaged key (all zero, one repeated byte, "abcd" repeated).
 */
const MIN_DISTINCT_BYTES = 8;

/** Why a secret file may not be used, or undefined. Pure, so ownership can be tested without root. */
export function secretFileAccessProblem(
  file: string,
  stat: { readonly mode: number; readonly uid: number },
  /** This process's uid; undefined where there is none (Windows). */
  ownUid: number | undefined,
): string | undefined {
  if ((stat.mode & FORBIDDEN_MODE_BITS) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    return `${file}: mode ${mode} lets others read or change this secret; run \`chmod 600 ${file}\``;
  }
  // Whoever owns the file can change its mode and content. Root may; anybody else may not.
  if (ownUid !== undefined && stat.uid !== ownUid && stat.uid !== 0) {
    return `${file}: owned by uid ${stat.uid}, who could replace this secret; run \`chown ${ownUid} ${file}\``;
  }
  return undefined;
}

/** Read a secret file after checking its mode and owner. */
export async function readSecretFile(file: string): Promise<string> {
  // POSIX mode bits and uids mean nothing on Windows; there the data directory's ACLs protect it.
  if (process.platform !== 'win32') {
    const problem = secretFileAccessProblem(file, await fs.stat(file), process.getuid?.());
    if (problem) throw new ConfigError(problem);
  }
  return fs.readFile(file, 'utf8');
}

/**
 * Strict base64 of `bytes` random bytes (`atLeast`: or more). `origin` names where it came from
 * (a file, a variable), `fix` what the operator should do; neither the text nor the bytes are
 * ever part of the message.
 */
export function decodeSecret(
  text: string,
  origin: string,
  expected: { readonly bytes: number; readonly atLeast?: boolean; readonly fix: string },
): Buffer {
  const base64 = text.trim();
  const need = `${expected.atLeast ? 'at least' : 'exactly'} ${expected.bytes} random bytes`;
  if (!STRICT_BASE64.test(base64)) {
    throw new ConfigError(`${origin}: not base64 (must be base64 of ${need}); ${expected.fix}`);
  }
  const secret = Buffer.from(base64, 'base64');
  const problem =
    secret.length < expected.bytes || (!expected.atLeast && secret.length > expected.bytes)
      ? `holds ${secret.length} bytes (empty or truncated?); must be base64 of ${need}`
      : looksTrivial(secret)
        ? 'is not random (all zero, or a short repeating pattern)'
        : undefined;
  if (problem) {
    secret.fill(0);
    throw new ConfigError(`${origin}: ${problem}; ${expected.fix}`);
  }
  return secret;
}

function looksTrivial(secret: Buffer): boolean {
  if (new Set(secret).size < MIN_DISTINCT_BYTES) return true;
  // 0, 1, 2, ... or any other constant step.
  const step = (secret[1]! - secret[0]! + 256) % 256;
  return secret.every((byte, i) => i === 0 || (byte - secret[i - 1]! + 256) % 256 === step);
}

/**
 * Create `file` with `bytes` random bytes (base64, mode 0600) unless it exists. Written to a
 * private temporary file, then hard-linked into place: link() fails if the target exists, so two
 * processes starting at once agree on one secret and nobody reads a half-written file.
 * Returns whether this call created it.
 */
export async function createSecretFileIfMissing(file: string, bytes: number): Promise<boolean> {
  try {
    await fs.access(file);
    return false;
  } catch {
    // Missing: create it below.
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomUUID()}.tmp`;
  const secret = randomBytes(bytes);
  try {
    await fs.writeFile(temporary, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await fs.link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    secret.fill(0);
    await fs.rm(temporary, { force: true });
  }
}

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../core/errors';

/**
 * Claims a new file for personal data the operator asked for (an export, a backup) before any
 * work: mode 0600, for the operator's eyes only, and an existing file is never overwritten.
 * `name` is how the command line calls the file (`--out`, `<destination>`), for the error.
 */
export async function createPrivateFile(
  file: string,
  name: string,
): Promise<{ path: string; handle: fs.FileHandle }> {
  const resolved = path.resolve(file);
  try {
    return { path: resolved, handle: await fs.open(resolved, 'wx', 0o600) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ConfigError(`${name}: the file exists; refusing to overwrite it`);
    throw new ConfigError(`${name}: cannot create the file (${code ?? 'unknown error'})`);
  }
}

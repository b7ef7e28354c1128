import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  LOCAL_MASTER_KEY_FILE,
  loadLocalMasterKey,
  readMasterKeyFile,
} from '../../../src/crypto/local-master-key';
import { secretFileAccessProblem } from '../../../src/crypto/secret-file';
import { loadPepper } from '../../../src/privacy/subject-id';

/**
 * The two secrets kept in files (the development master key and the subject-id pepper) are
 * decoded strictly and refused when they are empty, truncated, not base64, not random, or open
 * to change by anyone but their owner. Errors name the file and the fix, never the secret.
 */
const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secret-files-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

const PEPPER_FILE = 'subject-pepper';

/** File contents that must be refused, whichever secret they claim to be. */
const junk: readonly (readonly [string, string])[] = [
  ['empty', ''],
  ['only a newline', '\n'],
  ['truncated (16 bytes)', randomBytes(16).toString('base64')],
  ['truncated mid-character', randomBytes(32).toString('base64').slice(0, 30)],
  [
    'not base64, though it decodes leniently to 32 bytes',
    `${randomBytes(32).toString('base64').slice(0, 20)}!!${randomBytes(32).toString('base64').slice(20)}`,
  ],
  ['all zero', Buffer.alloc(32).toString('base64')],
  ['one repeated byte', Buffer.alloc(32, 0x41).toString('base64')],
  ['a short repeating pattern', Buffer.from('abcd'.repeat(8)).toString('base64')],
  ['a counting sequence', Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64')],
];

async function writeSecret(dir: string, name: string, content: string, mode = 0o600): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, content, { mode });
  await fs.chmod(file, mode);
  return file;
}

describe('pepper file', () => {
  it.each(junk)('is refused when %s, naming the file and never the content', async (_case, content) => {
    const dir = await tempDir();
    const file = await writeSecret(dir, PEPPER_FILE, content);
    const error = await loadPepper(undefined, dir).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining(file) });
    if (content.trim()) expect(error!.message).not.toContain(content.trim().slice(0, 8));
  });

  it.each(['0620', '0602', '0666', '0640', '0604'])(
    'is refused with mode %s (only the owner may read or change it)',
    async (mode) => {
      const dir = await tempDir();
      await writeSecret(dir, PEPPER_FILE, randomBytes(32).toString('base64'), parseInt(mode, 8));
      await expect(loadPepper(undefined, dir)).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`chmod 600 ${path.join(dir, PEPPER_FILE)}`),
      });
    },
  );

  it('is accepted when it holds base64 of 32 or more random bytes, mode 0600', async () => {
    const dir = await tempDir();
    const pepper = randomBytes(48);
    await writeSecret(dir, PEPPER_FILE, `${pepper.toString('base64')}\n`);
    expect((await loadPepper(undefined, dir)).equals(pepper)).toBe(true);
  });
});

describe('master key file', () => {
  it.each(junk)('is refused when %s, naming the file and never the content', async (_case, content) => {
    const file = await writeSecret(await tempDir(), 'master.key', content);
    const error = await readMasterKeyFile(file).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining(file) });
    if (content.trim()) expect(error!.message).not.toContain(content.trim().slice(0, 8));
  });

  it('is refused in DATA_DIR too, not replaced by a new key', async () => {
    const dataDir = await tempDir();
    const file = await writeSecret(dataDir, LOCAL_MASTER_KEY_FILE, Buffer.alloc(32).toString('base64'));
    await expect(loadLocalMasterKey({ base64FromEnv: undefined, dataDir })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    expect(await fs.readFile(file, 'utf8')).toBe(Buffer.alloc(32).toString('base64'));
  });

  it.each(['0620', '0602'])('is refused with mode %s', async (mode) => {
    const file = await writeSecret(
      await tempDir(),
      'master.key',
      randomBytes(32).toString('base64'),
      parseInt(mode, 8),
    );
    await expect(readMasterKeyFile(file)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(`chmod 600 ${file}`),
    });
  });
});

describe('secret file ownership and mode', () => {
  const own = 1000;
  it('accepts a 0600 file of this user or of root', () => {
    expect(secretFileAccessProblem('/d/k', { mode: 0o100600, uid: own }, own)).toBeUndefined();
    expect(secretFileAccessProblem('/d/k', { mode: 0o100400, uid: 0 }, own)).toBeUndefined();
  });

  it('refuses a file another user owns: they could rewrite it', () => {
    expect(secretFileAccessProblem('/d/k', { mode: 0o100600, uid: 1001 }, own)).toMatch(
      /\/d\/k: .*owned by uid 1001.*chown 1000 \/d\/k/,
    );
  });

  it('refuses group or other bits, naming the mode and the fix', () => {
    expect(secretFileAccessProblem('/d/k', { mode: 0o100660, uid: own }, own)).toMatch(
      /\/d\/k: .*mode 0660.*chmod 600 \/d\/k/,
    );
  });

  it('checks only the mode where the process has no uid (Windows)', () => {
    expect(secretFileAccessProblem('/d/k', { mode: 0o100600, uid: 1001 }, undefined)).toBeUndefined();
  });
});

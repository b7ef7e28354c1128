import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalKeyProvider, localKeyId } from '../../../src/crypto/local-key-provider';
import {
  LOCAL_MASTER_KEY_FILE,
  loadLocalMasterKey,
  readMasterKeyFile,
} from '../../../src/crypto/local-master-key';

const ctx = { subjectId: 'subject-1', purpose: 'data' };
const development = { env: 'development' as const, allowInProduction: false };

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'local-keys-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('local master key', () => {
  it('creates <dataDir>/local-master.key with mode 0600 on first start and reuses it', async () => {
    const dataDir = path.join(await tempDir(), 'nested', 'data');
    const first = await loadLocalMasterKey({ base64FromEnv: undefined, dataDir });
    expect(first.source).toBe('new-file');
    expect(first.key).toHaveLength(32);
    const file = path.join(dataDir, LOCAL_MASTER_KEY_FILE);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);

    const second = await loadLocalMasterKey({ base64FromEnv: undefined, dataDir });
    expect(second.source).toBe('existing-file');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('gives processes starting at the same moment one key and leaves no temporary files', async () => {
    const dataDir = await tempDir();
    const loads = await Promise.all(
      Array.from({ length: 6 }, () => loadLocalMasterKey({ base64FromEnv: undefined, dataDir })),
    );
    for (const load of loads) expect(load.key.equals(loads[0]!.key)).toBe(true);
    expect(loads.filter((load) => load.source === 'new-file')).toHaveLength(1);
    expect(await fs.readdir(dataDir)).toEqual([LOCAL_MASTER_KEY_FILE]);
  });

  it('refuses a key file that group or others can read', async () => {
    const dataDir = await tempDir();
    await loadLocalMasterKey({ base64FromEnv: undefined, dataDir });
    const file = path.join(dataDir, LOCAL_MASTER_KEY_FILE);
    await fs.chmod(file, 0o644);
    await expect(loadLocalMasterKey({ base64FromEnv: undefined, dataDir })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('chmod 600'),
    });
    await expect(readMasterKeyFile(file)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('refuses a key file that does not hold 32 bytes', async () => {
    const file = path.join(await tempDir(), 'short.key');
    await fs.writeFile(file, randomBytes(16).toString('base64'), { mode: 0o600 });
    await expect(readMasterKeyFile(file)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('prefers LOCAL_MASTER_KEY and then writes no file', async () => {
    const dataDir = await tempDir();
    const key = randomBytes(32);
    const loaded = await loadLocalMasterKey({ base64FromEnv: key.toString('base64'), dataDir });
    expect(loaded.source).toBe('environment');
    expect(loaded.key.equals(key)).toBe(true);
    expect(await fs.readdir(dataDir)).toEqual([]);
  });

  it('names LOCAL_MASTER_KEY when it is not 32 bytes', async () => {
    await expect(
      loadLocalMasterKey({ base64FromEnv: randomBytes(24).toString('base64'), dataDir: await tempDir() }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('LOCAL_MASTER_KEY') });
  });
});

describe('LocalKeyProvider', () => {
  const masterKey = randomBytes(32);
  const provider = new LocalKeyProvider({ masterKey, ...development });

  it('refuses to run in production unless explicitly allowed', () => {
    expect(() => new LocalKeyProvider({ masterKey, env: 'production', allowInProduction: false })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('KEY_PROVIDER') }),
    );
    expect(new LocalKeyProvider({ masterKey, env: 'production', allowInProduction: true }).name).toBe(
      'local',
    );
  });

  it('wraps and unwraps a fresh 32-byte data key', async () => {
    const generated = await provider.generateDataKey(ctx);
    expect(generated.plaintext).toHaveLength(32);
    expect(generated.providerKeyId).toBe(provider.currentKeyId);
    expect(generated.wrapped.includes(generated.plaintext)).toBe(false);
    const unwrapped = await provider.unwrap(generated.wrapped, ctx, generated.providerKeyId);
    expect(unwrapped.equals(generated.plaintext)).toBe(true);
  });

  it('names the master key by a fingerprint that does not reveal it', () => {
    expect(provider.currentKeyId).toBe(localKeyId(masterKey));
    expect(provider.currentKeyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(provider.currentKeyId).not.toContain(masterKey.toString('hex').slice(0, 16));
  });

  it.each([
    ['another subject', { subjectId: 'subject-2', purpose: 'data' }],
    ['another purpose', { subjectId: 'subject-1', purpose: 'export' }],
  ])('refuses to unwrap for %s (KMS_DENIED)', async (_name, otherCtx) => {
    const { wrapped } = await provider.generateDataKey(ctx);
    await expect(provider.unwrap(wrapped, otherCtx)).rejects.toMatchObject({ code: 'KMS_DENIED' });
  });

  it('refuses damaged, truncated or foreign blobs (KMS_DENIED)', async () => {
    const { wrapped, providerKeyId } = await provider.generateDataKey(ctx);
    const damaged = Buffer.from(wrapped);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 1;
    const fingerprintEdited = Buffer.from(wrapped);
    fingerprintEdited[1] = fingerprintEdited[1]! ^ 1;
    for (const blob of [damaged, wrapped.subarray(0, 40), fingerprintEdited]) {
      await expect(provider.unwrap(blob, ctx)).rejects.toMatchObject({ code: 'KMS_DENIED' });
    }
    await expect(provider.unwrap(wrapped, ctx, 'local:0000000000000000')).rejects.toMatchObject({
      code: 'KMS_DENIED',
    });
    await expect(provider.unwrap(wrapped, ctx, providerKeyId)).resolves.toHaveLength(32);
  });

  it('re-wraps under a new master key while the old one is listed as previous', async () => {
    const oldMaster = randomBytes(32);
    const newMaster = randomBytes(32);
    const before = new LocalKeyProvider({ masterKey: oldMaster, ...development });
    const generated = await before.generateDataKey(ctx);

    const during = new LocalKeyProvider({
      masterKey: newMaster,
      previousMasterKeys: [oldMaster],
      ...development,
    });
    expect(during.isCurrentKey(generated.providerKeyId)).toBe(false);
    const rewrapped = await during.rewrap(generated.wrapped, ctx, generated.providerKeyId);
    expect(rewrapped.providerKeyId).toBe(localKeyId(newMaster));
    expect(during.isCurrentKey(rewrapped.providerKeyId)).toBe(true);

    // Once the old master key is gone, only re-wrapped keys can be read.
    const after = new LocalKeyProvider({ masterKey: newMaster, ...development });
    expect((await after.unwrap(rewrapped.wrapped, ctx)).equals(generated.plaintext)).toBe(true);
    await expect(after.unwrap(generated.wrapped, ctx)).rejects.toMatchObject({ code: 'KMS_DENIED' });
    // Rewrap checks the context like unwrap does.
    await expect(during.rewrap(generated.wrapped, { ...ctx, subjectId: 'x' })).rejects.toMatchObject({
      code: 'KMS_DENIED',
    });
  });

  it('keeps its own copy of the master key', async () => {
    const key = randomBytes(32);
    const own = new LocalKeyProvider({ masterKey: key, ...development });
    const generated = await own.generateDataKey(ctx);
    key.fill(0);
    expect((await own.unwrap(generated.wrapped, ctx)).equals(generated.plaintext)).toBe(true);
  });

  it('wipes its master keys on close', async () => {
    const closing = new LocalKeyProvider({ masterKey: randomBytes(32), ...development });
    const { wrapped } = await closing.generateDataKey(ctx);
    closing.close();
    await expect(closing.unwrap(wrapped, ctx)).rejects.toMatchObject({ code: 'KMS_DENIED' });
    await expect(closing.generateDataKey(ctx)).rejects.toThrow(/no master key/);
  });

  it('rejects master keys of the wrong length', () => {
    expect(() => new LocalKeyProvider({ masterKey: randomBytes(16), ...development })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

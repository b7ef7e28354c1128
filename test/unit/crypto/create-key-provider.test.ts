import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../../src/config/config';
import { AwsKmsKeyProvider } from '../../../src/crypto/aws-kms-key-provider';
import { createKeyProvider } from '../../../src/crypto/create-key-provider';
import { LocalKeyProvider, localKeyId } from '../../../src/crypto/local-key-provider';

const logger = pino({ level: 'silent' });
let dataDir: string;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'key-factory-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('createKeyProvider', () => {
  it('builds the local provider from LOCAL_MASTER_KEY', async () => {
    const masterKey = randomBytes(32);
    const config = loadConfig({ DATA_DIR: dataDir, LOCAL_MASTER_KEY: masterKey.toString('base64') });
    const provider = await createKeyProvider(config, logger);
    expect(provider).toBeInstanceOf(LocalKeyProvider);
    expect(provider.currentKeyId).toBe(localKeyId(masterKey));
  });

  it('creates the 0600 key file in DATA_DIR when no key is configured', async () => {
    const provider = await createKeyProvider(loadConfig({ DATA_DIR: dataDir }), logger);
    const file = path.join(dataDir, 'local-master.key');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const fromFile = Buffer.from(await fs.readFile(file, 'utf8'), 'base64');
    expect(provider.currentKeyId).toBe(localKeyId(fromFile));
  });

  it('refuses local keys in production before writing any key file', async () => {
    const productionDir = path.join(dataDir, 'prod');
    const config = loadConfig({
      APP_ENV: 'production',
      SUBJECT_ID_PEPPER: 'p'.repeat(32),
      DATA_DIR: productionDir,
    });
    await expect(createKeyProvider(config, logger)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(fs.access(productionDir)).rejects.toMatchObject({ code: 'ENOENT' });

    const allowed = loadConfig({
      APP_ENV: 'production',
      SUBJECT_ID_PEPPER: 'p'.repeat(32),
      DATA_DIR: productionDir,
      ALLOW_LOCAL_KEYS_IN_PRODUCTION: 'true',
    });
    await expect(createKeyProvider(allowed, logger)).resolves.toBeInstanceOf(LocalKeyProvider);
  });

  it('builds the AWS provider on KMS_KEY_ID without touching the disk', async () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      KEY_PROVIDER: 'aws',
      KMS_KEY_ID: 'alias/chatbot',
      KMS_ENDPOINT: 'http://127.0.0.1:4566',
    });
    const provider = await createKeyProvider(config, logger, { awsRegion: 'us-east-1' });
    try {
      expect(provider).toBeInstanceOf(AwsKmsKeyProvider);
      expect(provider.name).toBe('aws');
      expect(provider.currentKeyId).toBe('alias/chatbot');
      expect(await fs.readdir(dataDir)).toEqual([]);
    } finally {
      provider.close?.();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { runKeysCli } from '../../../src/cli/keys';
import { AwsKmsKeyProvider } from '../../../src/crypto/aws-kms-key-provider';
import { DataKeyService } from '../../../src/crypto/data-key-service';
import { EnvelopeCipher } from '../../../src/crypto/envelope-cipher';
import { KeyCache } from '../../../src/crypto/key-cache';
import type { KeyProvider } from '../../../src/crypto/key-provider';
import { LocalKeyProvider, localKeyId } from '../../../src/crypto/local-key-provider';
import { type TestDatabase, openTestDatabase } from '../../support/db';
import { KmsDouble } from '../../support/kms-double';

/**
 * `npm run keys -- rotate` on the bot's key file (the default SQLite backend), with the bot's
 * backend open at the same time, as when the operator rotates beside the running bot.
 */

const logger = pino({ level: 'silent' });
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let db: TestDatabase;
let kms: KmsDouble;
let dataDir: string;

function cipherWith(provider: KeyProvider) {
  const cache = new KeyCache({ maxEntries: 10, maxAgeMs: 60_000, maxUses: 100 });
  return new EnvelopeCipher(new DataKeyService({ store: db.backend.dataKeys, provider, cache, logger }));
}

/** Keys in the key file wrapped by `providerKeyId`, by raw SQL. */
function keysWrappedBy(providerKeyId: string): number {
  const row = db.keysSqlite
    .prepare('SELECT count(*) AS n FROM data_keys WHERE provider_key_id = ?')
    .get(providerKeyId) as { n: number };
  return row.n;
}

function awsProvider(keyId: string) {
  return new AwsKmsKeyProvider({
    keyId,
    timeoutMs: 1000,
    maxAttempts: 2,
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials,
    logger,
  });
}

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  const out = new PassThrough().on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const code = await runKeysCli(argv, {
    env: {
      DATA_DIR: dataDir,
      DATABASE_PATH: db.path,
      DATA_KEYS_PATH: db.keysPath,
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdout: out,
    stderr: new PassThrough().resume(),
    logger,
    keyProviderOptions: { awsRegion: 'us-east-1', awsCredentials: credentials },
  });
  return { code, stdout };
}

beforeAll(() => {
  db = openTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  kms = await KmsDouble.start({ keyIds: ['key-a', 'key-b'] });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keys-cli-'));
  db.keysSqlite.exec('DELETE FROM data_keys');
});
afterEach(async () => {
  await kms.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('npm run keys -- rotate', () => {
  it('re-wraps every key under the new KMS key, and a second run skips them all', async () => {
    const writerProvider = awsProvider('key-a');
    const writer = cipherWith(writerProvider);
    const sealed = await writer.seal('s1', 'messages', 'm1', 'kept through rotation');
    await writer.seal('s2', 'messages', 'm1', 'x');
    await writer.seal('s3', 'messages', 'm1', 'y');
    writerProvider.close();

    const env = { KEY_PROVIDER: 'aws', KMS_KEY_ID: 'key-b', KMS_ENDPOINT: kms.endpoint };
    const first = await cli(['rotate', '--batch-size', '2'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/rotated:\s+3\n/);
    expect(keysWrappedBy(kms.arn('key-b'))).toBe(3);

    const second = await cli(['rotate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/rotated:\s+0\n/);
    expect(second.stdout).toMatch(/skipped:\s+3 /);

    const readerProvider = awsProvider('key-b');
    expect(await cipherWith(readerProvider).openText('s1', 'messages', 'm1', sealed)).toBe(
      'kept through rotation',
    );
    readerProvider.close();
  });

  it('exits 1 and says to rerun when KMS refuses some keys', async () => {
    const writerProvider = awsProvider('key-a');
    await cipherWith(writerProvider).seal('s1', 'messages', 'm1', 'x');
    writerProvider.close();
    kms.fail('access-denied', { operations: ['ReEncrypt'] });
    const result = await cli(['rotate'], {
      KEY_PROVIDER: 'aws',
      KMS_KEY_ID: 'key-b',
      KMS_ENDPOINT: kms.endpoint,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed:\s+1\n/);
    expect(result.stdout).toContain('run `npm run keys -- rotate` again');
  });

  it('rotates local keys to a new master key with the retired key file', async () => {
    const oldMaster = randomBytes(32);
    const newMaster = randomBytes(32);
    const development = { env: 'development' as const, allowInProduction: false };
    const sealed = await cipherWith(new LocalKeyProvider({ masterKey: oldMaster, ...development })).seal(
      's1',
      'profiles',
      'p1',
      'Ada',
    );
    const retiredFile = path.join(dataDir, 'local-master.key.retired');
    await fs.writeFile(retiredFile, oldMaster.toString('base64'), { mode: 0o600 });
    const env = { KEY_PROVIDER: 'local', LOCAL_MASTER_KEY: newMaster.toString('base64') };

    const withoutOldKey = await cli(['rotate'], env);
    expect(withoutOldKey.code).toBe(1);
    expect(withoutOldKey.stdout).toMatch(/failed:\s+1\n/);

    const result = await cli(['rotate', '--previous-key-file', retiredFile], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/rotated:\s+1\n/);
    expect(keysWrappedBy(localKeyId(newMaster))).toBe(1);
    const reader = cipherWith(new LocalKeyProvider({ masterKey: newMaster, ...development }));
    expect(await reader.openText('s1', 'profiles', 'p1', sealed)).toBe('Ada');
  });
});

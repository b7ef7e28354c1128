import pino from 'pino';
import { AwsKmsKeyProvider } from '../../../src/crypto/aws-kms-key-provider';
import { DataKeyService } from '../../../src/crypto/data-key-service';
import { EnvelopeCipher } from '../../../src/crypto/envelope-cipher';
import { KeyCache } from '../../../src/crypto/key-cache';
import { packSealed, unpackSealed } from '../../../src/storage/sqlite/sealed-blob';
import { type TestDatabase, openTestDatabase } from '../../support/db';
import { KmsDouble } from '../../support/kms-double';

/**
 * The data-key service on the default backend's key file (several workers share it, as several
 * apps on one machine would), with the AWS provider against the KMS double.
 */

const logger = pino({ level: 'silent' });
let db: TestDatabase;
let kms: KmsDouble;
const closers: Array<() => void> = [];

/** A worker: its own provider and cache, the shared key file. */
function worker(keyId = 'key-a') {
  const provider = new AwsKmsKeyProvider({
    keyId,
    timeoutMs: 1000,
    maxAttempts: 2,
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    logger,
  });
  const cache = new KeyCache({ maxEntries: 100, maxAgeMs: 60_000, maxUses: 1000 });
  const dataKeys = new DataKeyService({
    store: db.backend.dataKeys,
    provider,
    cache,
    logger,
  });
  closers.push(() => dataKeys.close());
  return { dataKeys, cipher: new EnvelopeCipher(dataKeys) };
}

/** Keys stored in the key file, by raw SQL (not through the store under test). */
function storedKeys(where = '1', ...params: string[]): number {
  return (
    db.keysSqlite.prepare(`SELECT count(*) AS n FROM data_keys WHERE ${where}`).get(...params) as {
      n: number;
    }
  ).n;
}

beforeAll(() => {
  db = openTestDatabase();
  // A table of the test's own in the data file, stored the way the stores store a sealed field.
  db.sqlite.exec(
    'CREATE TABLE test_notes (id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, body BLOB NOT NULL) STRICT',
  );
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  kms = await KmsDouble.start({ keyIds: ['key-a', 'key-b'] });
  db.keysSqlite.exec('DELETE FROM data_keys');
  db.sqlite.exec('DELETE FROM test_notes');
});
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await kms.close();
});

describe('DataKeyService on the SQLite key file with KMS (double)', () => {
  it('stores encrypted fields in a real row and reads them back with no KMS call when warm', async () => {
    const insert = db.sqlite.prepare('INSERT INTO test_notes (id, subject_id, body) VALUES (?, ?, ?)');
    const read = (id: string) =>
      unpackSealed(
        (db.sqlite.prepare('SELECT body FROM test_notes WHERE id = ?').get(id) as { body: Buffer }).body,
      );
    const { cipher } = worker();
    const body = await cipher.seal('s1', 'test_notes', 'n1', 'a private note');
    insert.run('n1', 's1', packSealed(body));
    expect(kms.calls('GenerateDataKey')).toBe(1);
    const before = kms.calls();

    expect(await cipher.openText('s1', 'test_notes', 'n1', read('n1'))).toBe('a private note');
    expect(kms.calls()).toBe(before);

    // The same ciphertext copied into another row does not open.
    insert.run('n2', 's1', packSealed(body));
    await expect(cipher.open('s1', 'test_notes', 'n2', read('n2'))).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('resolves two workers racing to create a subject key through the primary key', async () => {
    const [a, b] = [worker(), worker()];
    const [keyA, keyB] = await Promise.all([
      a.dataKeys.keyForWrite('s-race'),
      b.dataKeys.keyForWrite('s-race'),
    ]);
    expect(keyA.key.equals(keyB.key)).toBe(true);
    expect(storedKeys('subject_id = ?', 's-race')).toBe(1);
    // Usually both generate and the loser of the insert unwraps the winner's key; if one worker
    // was slow enough to find the stored key first, it just unwraps it. One Decrypt either way.
    expect(kms.calls('GenerateDataKey')).toBeGreaterThanOrEqual(1);
    expect(kms.calls('GenerateDataKey')).toBeLessThanOrEqual(2);
    expect(kms.calls('Decrypt')).toBe(1);
  });

  it('shreds: the wrapped key is gone from the key file and every read fails with KEY_SHREDDED', async () => {
    const { dataKeys, cipher } = worker();
    const sealed = await cipher.seal('s1', 'messages', 'm1', 'forget me');
    expect(await dataKeys.shred('s1')).toBe(true);
    expect(storedKeys('subject_id = ?', 's1')).toBe(0);
    await expect(cipher.open('s1', 'messages', 'm1', sealed)).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
    await expect(worker().cipher.open('s1', 'messages', 'm1', sealed)).rejects.toMatchObject({
      code: 'KEY_SHREDDED',
    });
  });

  it('rotates every stored key to a new KMS key once; a second run skips them all', async () => {
    const writer = worker('key-a');
    const sealed = [];
    for (const subject of ['s1', 's2', 's3'])
      sealed.push(await writer.cipher.seal(subject, 'messages', 'm1', subject));
    kms.resetCalls();

    const rotating = worker('key-b');
    expect(await rotating.dataKeys.rotateAll({ batchSize: 2 })).toEqual({
      total: 3,
      rotated: 3,
      skipped: 0,
      failed: 0,
      aborted: false,
    });
    expect(kms.calls('ReEncrypt')).toBe(3);
    expect(storedKeys('provider_key_id = ?', kms.arn('key-b'))).toBe(3);

    kms.resetCalls();
    expect(await rotating.dataKeys.rotateAll()).toMatchObject({ rotated: 0, skipped: 3, failed: 0 });
    expect(kms.calls()).toBe(0);

    const reader = worker('key-b');
    expect(await reader.cipher.openText('s3', 'messages', 'm1', sealed[2]!)).toBe('s3');
  });
});

import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { StorageUnavailableError } from '../../../src/core/errors';
import { AwsKmsKeyProvider } from '../../../src/crypto/aws-kms-key-provider';
import { loadConfig } from '../../../src/config/config';
import { createEnvelopeEncryption } from '../../../src/crypto/create-envelope-encryption';
import { DataKeyService } from '../../../src/crypto/data-key-service';
import type { DataKeyRecord, DataKeyStore, RewrappedRecord } from '../../../src/crypto/data-key-store-port';
import { EnvelopeCipher } from '../../../src/crypto/envelope-cipher';
import { KeyCache } from '../../../src/crypto/key-cache';
import type { KeyProvider } from '../../../src/crypto/key-provider';
import { LocalKeyProvider } from '../../../src/crypto/local-key-provider';
import { KmsDouble } from '../../support/kms-double';
import { describeDataKeyStoreContract, sampleRecord } from './data-key-store-contract';

/**
 * TEST-ONLY implementation of the DataKeyStore port, so the service's own logic (cache, single
 * flight, shredding, rotation) is tested here with failures and interleavings no real store
 * produces on demand. It passes the same contract suite as the real stores (data-key-store.test.ts);
 * the service is tested against the SQLite store in data-key-service.sqlite.test.ts.
 */
class TestOnlyDataKeyStore implements DataKeyStore {
  private readonly rows = new Map<string, { seq: number; record: DataKeyRecord }>();
  private nextSeq = 0;
  private findGate: Promise<void> | undefined;
  private failNextDelete = false;

  /** The next find() reads its answer at once but delivers it only after `release()`. */
  holdNextFind(): () => void {
    let release!: () => void;
    this.findGate = new Promise((resolve) => (release = resolve));
    return release;
  }

  breakNextDelete(): void {
    this.failNextDelete = true;
  }

  async find(subjectId: string): Promise<DataKeyRecord | undefined> {
    const row = this.rows.get(subjectId);
    const answer = row && copy(row.record);
    const gate = this.findGate;
    this.findGate = undefined;
    if (gate) await gate;
    return answer;
  }

  async insert(record: DataKeyRecord): Promise<DataKeyRecord> {
    await Promise.resolve();
    const existing = this.rows.get(record.subjectId);
    if (existing) return copy(existing.record);
    this.rows.set(record.subjectId, { seq: this.nextSeq++, record: copy(record) });
    return copy(record);
  }

  async updateWrapped(
    subjectId: string,
    expected: Pick<DataKeyRecord, 'keyVersion' | 'wrapped'>,
    next: RewrappedRecord,
  ): Promise<boolean> {
    await Promise.resolve();
    const row = this.rows.get(subjectId);
    if (
      !row ||
      row.record.keyVersion !== expected.keyVersion ||
      !row.record.wrapped.equals(expected.wrapped)
    ) {
      return false;
    }
    row.record = copy({ ...row.record, ...next });
    return true;
  }

  async delete(subjectId: string): Promise<boolean> {
    await Promise.resolve();
    if (this.failNextDelete) {
      this.failNextDelete = false;
      throw new StorageUnavailableError('data_keys.delete', new Error('connection reset'));
    }
    return this.rows.delete(subjectId);
  }

  async *iterate(batchSize: number): AsyncGenerator<DataKeyRecord> {
    let after = -1;
    for (;;) {
      const batch = [...this.rows.values()]
        .filter((row) => row.seq > after)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, batchSize);
      if (batch.length === 0) return;
      for (const row of batch) {
        after = row.seq;
        yield copy(row.record);
      }
    }
  }

  count(): Promise<number> {
    return Promise.resolve(this.rows.size);
  }
}

function copy(record: DataKeyRecord): DataKeyRecord {
  return { ...record, wrapped: Buffer.from(record.wrapped) };
}

describeDataKeyStoreContract('TestOnlyDataKeyStore (the port implementation these tests use)', () =>
  Promise.resolve(new TestOnlyDataKeyStore()),
);

const logger = pino({ level: 'silent' });
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let kms: KmsDouble;
const closers: Array<() => void> = [];

function awsProvider(keyId = 'key-a'): AwsKmsKeyProvider {
  const provider = new AwsKmsKeyProvider({
    keyId,
    timeoutMs: 500,
    maxAttempts: 2,
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials,
    logger,
  });
  closers.push(() => provider.close());
  return provider;
}

function service(provider: KeyProvider, store: DataKeyStore, cacheOptions: { maxUses?: number } = {}) {
  const cache = new KeyCache({ maxEntries: 100, maxAgeMs: 60_000, maxUses: cacheOptions.maxUses ?? 1000 });
  const dataKeys = new DataKeyService({ store, provider, cache, logger });
  closers.push(() => cache.close());
  return { dataKeys, cache, cipher: new EnvelopeCipher(dataKeys) };
}

beforeEach(async () => {
  kms = await KmsDouble.start({ keyIds: ['key-a', 'key-b'] });
});
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await kms.close();
});

describe('DataKeyService with AWS KMS (double)', () => {
  it('creates the key on first storage and serves warm turns with zero KMS calls', async () => {
    const { cipher, cache } = service(awsProvider(), new TestOnlyDataKeyStore());
    const sealed = await cipher.seal('s1', 'messages', 'm1', 'first message');
    expect(kms.calls('GenerateDataKey')).toBe(1);
    const before = kms.calls();

    // A warm turn: read history, store a reply.
    expect(await cipher.openText('s1', 'messages', 'm1', sealed)).toBe('first message');
    const reply = await cipher.seal('s1', 'messages', 'm2', 'second message');
    expect(await cipher.openText('s1', 'messages', 'm2', reply)).toBe('second message');

    expect(kms.calls()).toBe(before);
    expect(cache.stats().hits).toBeGreaterThanOrEqual(3);
  });

  it('unwraps once on a cold worker, however many turns ask at the same moment', async () => {
    const store = new TestOnlyDataKeyStore();
    const sealed = await service(awsProvider(), store).cipher.seal('s1', 'messages', 'm1', 'hello');
    kms.resetCalls();

    const coldWorker = service(awsProvider(), store);
    const texts = await Promise.all(
      Array.from({ length: 20 }, () => coldWorker.cipher.openText('s1', 'messages', 'm1', sealed)),
    );
    expect(new Set(texts)).toEqual(new Set(['hello']));
    expect(kms.calls('Decrypt')).toBe(1);
    expect(kms.calls()).toBe(1);
  });

  it('generates one key when many first writes for a new subject run at once', async () => {
    const store = new TestOnlyDataKeyStore();
    const { dataKeys } = service(awsProvider(), store);
    const keys = await Promise.all(Array.from({ length: 10 }, () => dataKeys.keyForWrite('s-new')));
    for (const dataKey of keys) expect(dataKey.key.equals(keys[0]!.key)).toBe(true);
    expect(kms.calls('GenerateDataKey')).toBe(1);
    expect(await store.count()).toBe(1);
  });

  it('makes two workers racing on a new subject agree on the stored key', async () => {
    const store = new TestOnlyDataKeyStore();
    const workerA = service(awsProvider(), store);
    const workerB = service(awsProvider(), store);
    const [fromA, fromB] = await Promise.all([
      workerA.dataKeys.keyForWrite('s1'),
      workerB.dataKeys.keyForWrite('s1'),
    ]);
    expect(fromA.key.equals(fromB.key)).toBe(true);
    const stored = await store.find('s1');
    const unwrapped = await awsProvider().unwrap(stored!.wrapped, { subjectId: 's1', purpose: 'data' });
    expect(unwrapped.equals(fromA.key)).toBe(true);
  });

  it('asks KMS again once a cached key has used up its max uses', async () => {
    const store = new TestOnlyDataKeyStore();
    const { dataKeys } = service(awsProvider(), store, { maxUses: 2 });
    await dataKeys.keyForWrite('s1'); // creates and caches (GenerateDataKey)
    await dataKeys.keyForRead('s1');
    await dataKeys.keyForRead('s1');
    expect(kms.calls('Decrypt')).toBe(0);
    await dataKeys.keyForRead('s1');
    expect(kms.calls('Decrypt')).toBe(1);
  });

  it('does not cache failures: a read after KMS recovers succeeds', async () => {
    const store = new TestOnlyDataKeyStore();
    await service(awsProvider(), store).dataKeys.keyForWrite('s1');
    const cold = service(awsProvider(), store);
    kms.fail('internal-error');
    await expect(cold.dataKeys.keyForRead('s1')).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE' });
    kms.fail(undefined);
    await expect(cold.dataKeys.keyForRead('s1')).resolves.toMatchObject({ keyVersion: 1 });
  });

  it('refuses a key wrapped by another provider with KMS_DENIED', async () => {
    const store = new TestOnlyDataKeyStore();
    await store.insert(sampleRecord('s-local'));
    await expect(service(awsProvider(), store).dataKeys.keyForRead('s-local')).rejects.toMatchObject({
      code: 'KMS_DENIED',
    });
  });
});

describe('crypto-shredding', () => {
  it('makes every read fail with KEY_SHREDDED, even right after a cached warm turn', async () => {
    const store = new TestOnlyDataKeyStore();
    const { dataKeys, cipher, cache } = service(awsProvider(), store);
    const sealed = await cipher.seal('s1', 'messages', 'm1', 'to be forgotten');
    expect(await cipher.openText('s1', 'messages', 'm1', sealed)).toBe('to be forgotten');

    expect(await dataKeys.shred('s1')).toBe(true);
    expect(await store.find('s1')).toBeUndefined();
    expect(cache.stats().size).toBe(0);
    await expect(cipher.open('s1', 'messages', 'm1', sealed)).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
    await expect(dataKeys.keyForRead('s1')).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
    // Another worker that never cached the key cannot read it either.
    await expect(
      service(awsProvider(), store).cipher.open('s1', 'messages', 'm1', sealed),
    ).rejects.toMatchObject({
      code: 'KEY_SHREDDED',
    });
    expect(await dataKeys.shred('s1')).toBe(false);
  });

  it('gives a new key, not the shredded one, when the subject stores data again', async () => {
    const store = new TestOnlyDataKeyStore();
    const { dataKeys, cipher } = service(awsProvider(), store);
    const before = await cipher.seal('s1', 'messages', 'm1', 'old');
    await dataKeys.shred('s1');
    await cipher.seal('s1', 'messages', 'm2', 'new');
    await expect(cipher.open('s1', 'messages', 'm1', before)).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('does not let an unwrap that was in flight put a shredded key back into the cache', async () => {
    const store = new TestOnlyDataKeyStore();
    await service(awsProvider(), store).dataKeys.keyForWrite('s1');
    const { dataKeys, cache } = service(awsProvider(), store);

    const release = store.holdNextFind(); // the record is read now, delivered later
    const inFlight = dataKeys.keyForRead('s1');
    await dataKeys.shred('s1');
    release();
    await expect(inFlight).resolves.toMatchObject({ keyVersion: 1 }); // it started before the erasure
    expect(cache.stats().size).toBe(0);
    await expect(dataKeys.keyForRead('s1')).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
  });

  it('reports a failed delete and still forgets the cached key', async () => {
    const store = new TestOnlyDataKeyStore();
    const { dataKeys, cache } = service(awsProvider(), store);
    await dataKeys.keyForWrite('s1');
    store.breakNextDelete();
    await expect(dataKeys.shred('s1')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(cache.stats().size).toBe(0);
    expect(await store.find('s1')).toBeDefined(); // so the erasure can be retried
  });
});

describe('rotation', () => {
  async function seed(store: DataKeyStore, provider: KeyProvider, subjects: string[]) {
    const { cipher } = service(provider, store);
    const sealed = new Map<string, Awaited<ReturnType<EnvelopeCipher['seal']>>>();
    for (const subject of subjects)
      sealed.set(subject, await cipher.seal(subject, 'messages', 'm1', `for ${subject}`));
    return sealed;
  }

  it('re-wraps every key under the new KMS key, then skips them all (idempotent)', async () => {
    const store = new TestOnlyDataKeyStore();
    const subjects = ['s1', 's2', 's3', 's4', 's5'];
    const sealed = await seed(store, awsProvider('key-a'), subjects);
    kms.resetCalls();

    const progress: number[] = [];
    const rotating = service(awsProvider('key-b'), store).dataKeys;
    const first = await rotating.rotateAll({ batchSize: 2, onProgress: (p) => progress.push(p.processed) });
    expect(first).toEqual({ total: 5, rotated: 5, skipped: 0, failed: 0, aborted: false });
    expect(progress.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(kms.calls('ReEncrypt')).toBe(5);
    expect(kms.calls('Decrypt')).toBe(0); // the data keys never left KMS
    for await (const record of store.iterate(10)) {
      expect(record.providerKeyId).toBe(kms.arn('key-b'));
      expect(record.rotatedAt).toBeInstanceOf(Date);
      expect(record.keyVersion).toBe(1);
    }

    kms.resetCalls();
    const second = await rotating.rotateAll();
    expect(second).toEqual({ total: 5, rotated: 0, skipped: 5, failed: 0, aborted: false });
    expect(kms.calls()).toBe(0);

    // Data stored before the rotation still opens on a cold worker that uses key-b.
    const { cipher } = service(awsProvider('key-b'), store);
    for (const subject of subjects) {
      expect(await cipher.openText(subject, 'messages', 'm1', sealed.get(subject)!)).toBe(`for ${subject}`);
    }
  });

  it('resumes after failures: a second run rotates only what is left', async () => {
    const store = new TestOnlyDataKeyStore();
    await seed(store, awsProvider('key-a'), ['s1', 's2', 's3', 's4']);
    const rotating = service(awsProvider('key-b'), store).dataKeys;

    kms.fail('access-denied', { operations: ['ReEncrypt'], times: 2 });
    const first = await rotating.rotateAll({ concurrency: 1 });
    expect(first).toMatchObject({ total: 4, rotated: 2, failed: 2, aborted: false });

    const second = await rotating.rotateAll();
    expect(second).toMatchObject({ total: 4, rotated: 2, skipped: 2, failed: 0 });
  });

  it('stops early when KMS keeps failing, instead of timing out on every key', async () => {
    const store = new TestOnlyDataKeyStore();
    await seed(store, awsProvider('key-a'), ['s1', 's2', 's3', 's4', 's5', 's6']);
    kms.fail('access-denied', { operations: ['ReEncrypt'] });
    const summary = await service(awsProvider('key-b'), store).dataKeys.rotateAll({
      concurrency: 1,
      maxConsecutiveFailures: 3,
    });
    expect(summary).toMatchObject({ aborted: true, failed: 3, rotated: 0, total: 6 });
    expect(kms.calls('ReEncrypt')).toBe(3);
  });

  it('re-wraps local keys under a new master key, and counts keys of another provider as failed', async () => {
    const development = { env: 'development' as const, allowInProduction: false };
    const oldMaster = randomBytes(32);
    const newMaster = randomBytes(32);
    const store = new TestOnlyDataKeyStore();
    const sealed = await seed(store, new LocalKeyProvider({ masterKey: oldMaster, ...development }), [
      's1',
      's2',
    ]);
    await seed(store, awsProvider('key-a'), ['s-aws']);

    const rotating = new LocalKeyProvider({
      masterKey: newMaster,
      previousMasterKeys: [oldMaster],
      ...development,
    });
    expect(await service(rotating, store).dataKeys.rotateAll()).toMatchObject({ rotated: 2, failed: 1 });

    const afterwards = service(new LocalKeyProvider({ masterKey: newMaster, ...development }), store);
    expect(await afterwards.cipher.openText('s2', 'messages', 'm1', sealed.get('s2')!)).toBe('for s2');
  });
});

describe('createEnvelopeEncryption', () => {
  it('wires cache limits from configuration into a working cipher', async () => {
    const config = loadConfig({
      LOCAL_MASTER_KEY: randomBytes(32).toString('base64'),
      KEY_CACHE_MAX_USES: '2',
      KEY_CACHE_MAX_ENTRIES: '1',
    });
    const provider = new LocalKeyProvider({
      masterKey: randomBytes(32),
      env: 'test',
      allowInProduction: false,
    });
    const encryption = createEnvelopeEncryption({
      config,
      provider,
      store: new TestOnlyDataKeyStore(),
      logger,
    });
    try {
      const sealed = await encryption.cipher.seal('s1', 'profiles', 'p1', 'Ada');
      expect(await encryption.cipher.openText('s1', 'profiles', 'p1', sealed)).toBe('Ada');
      await encryption.dataKeys.keyForWrite('s2'); // max one entry: s1 is evicted
      expect(encryption.cache.stats()).toMatchObject({ size: 1, evictions: 1 });
    } finally {
      encryption.close();
    }
    expect(encryption.cache.stats().size).toBe(0);
  });
});

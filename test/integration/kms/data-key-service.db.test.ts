import mongoose from 'mongoose';
import pino from 'pino';
import { AwsKmsKeyProvider } from '../../../src/crypto/aws-kms-key-provider';
import { DataKeyService } from '../../../src/crypto/data-key-service';
import { EnvelopeCipher } from '../../../src/crypto/envelope-cipher';
import type { EncryptedField } from '../../../src/crypto/field-cipher';
import { KeyCache } from '../../../src/crypto/key-cache';
import type { Database } from '../../../src/storage/mongo/connection';
import { MongoDataKeyStore } from '../../../src/storage/mongo/data-key-store';
import { dataKeyModel } from '../../../src/storage/mongo/models/data-key';
import { encryptedFieldSchema } from '../../../src/storage/mongo/models/encrypted-field.schema';
import { KmsDouble } from '../../support/kms-double';
import { openKeyTestDatabase } from './key-test-database';

const logger = pino({ level: 'silent' });
let db: Database;
let drop: (() => Promise<void>) | undefined;
let kms: KmsDouble;
const closers: Array<() => void> = [];

/** A worker: its own provider and cache, the shared MongoDB store. */
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
    store: new MongoDataKeyStore(db.connection),
    provider,
    cache,
    logger,
  });
  closers.push(() => dataKeys.close());
  return { dataKeys, cipher: new EnvelopeCipher(dataKeys) };
}

interface NoteDoc {
  _id: string;
  subjectId: string;
  body: EncryptedField;
}

beforeAll(async () => {
  ({ db, drop } = await openKeyTestDatabase());
});
afterAll(async () => {
  await drop?.(); // undefined when the database never opened
});
beforeEach(async () => {
  kms = await KmsDouble.start({ keyIds: ['key-a', 'key-b'] });
  await dataKeyModel(db.connection).deleteMany({});
});
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  // Unset when beforeAll failed (no database) and jest skipped beforeEach.
  if (kms) await kms.close();
});

describe('DataKeyService on MongoDB with KMS (double)', () => {
  it('stores encrypted fields in a real document and reads them back with no KMS call when warm', async () => {
    const Note = db.connection.model<NoteDoc>(
      'Note',
      new mongoose.Schema<NoteDoc>({
        _id: String,
        subjectId: String,
        body: { type: encryptedFieldSchema, required: true },
      }),
      'test_notes',
    );
    const { cipher } = worker();
    const body = await cipher.seal('s1', 'test_notes', 'n1', 'a private note');
    await Note.create({ _id: 'n1', subjectId: 's1', body });
    expect(kms.calls('GenerateDataKey')).toBe(1);
    const before = kms.calls();

    const lean = await Note.findById('n1').lean<NoteDoc>().exec();
    const hydrated = await Note.findById('n1').exec();
    expect(await cipher.openText('s1', 'test_notes', 'n1', lean!.body)).toBe('a private note');
    expect(await cipher.openText('s1', 'test_notes', 'n1', hydrated!.body)).toBe('a private note');
    expect(kms.calls()).toBe(before);

    // The same ciphertext copied into another document does not open.
    await Note.create({ _id: 'n2', subjectId: 's1', body: lean!.body });
    const copied = await Note.findById('n2').lean<NoteDoc>().exec();
    await expect(cipher.open('s1', 'test_notes', 'n2', copied!.body)).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('resolves two workers racing to create a subject key through the unique index', async () => {
    const [a, b] = [worker(), worker()];
    const [keyA, keyB] = await Promise.all([
      a.dataKeys.keyForWrite('s-race'),
      b.dataKeys.keyForWrite('s-race'),
    ]);
    expect(keyA.key.equals(keyB.key)).toBe(true);
    expect(await dataKeyModel(db.connection).countDocuments({ subjectId: 's-race' })).toBe(1);
    // Usually both generate and the loser of the insert unwraps the winner's key; if one worker
    // was slow enough to find the stored key first, it just unwraps it. One Decrypt either way.
    expect(kms.calls('GenerateDataKey')).toBeGreaterThanOrEqual(1);
    expect(kms.calls('GenerateDataKey')).toBeLessThanOrEqual(2);
    expect(kms.calls('Decrypt')).toBe(1);
  });

  it('shreds: the wrapped key is gone from MongoDB and every read fails with KEY_SHREDDED', async () => {
    const { dataKeys, cipher } = worker();
    const sealed = await cipher.seal('s1', 'messages', 'm1', 'forget me');
    expect(await dataKeys.shred('s1')).toBe(true);
    expect(await dataKeyModel(db.connection).countDocuments({ subjectId: 's1' })).toBe(0);
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
    expect(await dataKeyModel(db.connection).countDocuments({ providerKeyId: kms.arn('key-b') })).toBe(3);

    kms.resetCalls();
    expect(await rotating.dataKeys.rotateAll()).toMatchObject({ rotated: 0, skipped: 3, failed: 0 });
    expect(kms.calls()).toBe(0);

    const reader = worker('key-b');
    expect(await reader.cipher.openText('s3', 'messages', 'm1', sealed[2]!)).toBe('s3');
  });
});

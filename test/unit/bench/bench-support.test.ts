import { randomBytes } from 'node:crypto';
import { BotbuilderBaseline } from '../../../bench/support/botbuilder-baseline';
import { CountingKeyProvider, callsBetween } from '../../../bench/support/counting-key-provider';
import { PlaintextSealer } from '../../../bench/support/plaintext-cipher';
import { summariseLatencies, median, percentileOfSorted } from '../../../bench/support/stats';
import { atLeast, atMost } from '../../../bench/support/targets';
import { LocalKeyProvider } from '../../../src/crypto/local-key-provider';
import { encryptField } from '../../../src/crypto/field-cipher';
import { packSealed, unpackSealed } from '../../../src/storage/sqlite/sealed-blob';

// The benchmark's own parts: what they compute, never how fast anything is.

describe('PlaintextSealer (bench only)', () => {
  const sealer = new PlaintextSealer();

  it('stores the shape of an encrypted field, with zero IV and tag and the plaintext as ct', async () => {
    const field = await sealer.seal('s1', 'history', 'd1', 'remember that my locker is 12');
    expect(field.iv.equals(Buffer.alloc(12))).toBe(true);
    expect(field.tag.equals(Buffer.alloc(16))).toBe(true);
    expect(field.ct.toString('utf8')).toBe('remember that my locker is 12');
    expect(await sealer.openText('s1', 'history', 'd1', field)).toBe('remember that my locker is 12');
  });

  it('packs into a BLOB of the size a real encrypted field has, and reads back from it', async () => {
    const text = 'remember that the meeting moved to room 7';
    const binding = { subjectId: 's1', collection: 'history', documentId: 'd1' };
    const encrypted = encryptField({ key: randomBytes(32), keyVersion: 1 }, text, binding);
    const plain = packSealed(await sealer.seal('s1', 'history', 'd1', text));
    // Same row sizes: the variant measures encryption, not smaller rows.
    expect(plain).toHaveLength(packSealed(encrypted).length);
    expect(await sealer.openText('s1', 'history', 'd1', unpackSealed(plain))).toBe(text);
  });
});

describe('CountingKeyProvider', () => {
  it('counts the calls that reach the provider and leaves the keys working', async () => {
    const provider = new CountingKeyProvider(
      new LocalKeyProvider({ masterKey: randomBytes(32), env: 'test', allowInProduction: false }),
    );
    const ctx = { subjectId: 's1', purpose: 'data' };
    const before = provider.calls();
    const generated = await provider.generateDataKey(ctx);
    const unwrapped = await provider.unwrap(generated.wrapped, ctx, generated.providerKeyId);
    expect(unwrapped.equals(generated.plaintext)).toBe(true);
    expect(provider.isCurrentKey(generated.providerKeyId)).toBe(true);
    expect(callsBetween(before, provider.calls())).toEqual({
      generateDataKey: 1,
      unwrap: 1,
      rewrap: 0,
      total: 2,
    });
  });
});

describe('statistics and targets', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentileOfSorted(sorted, 50)).toBe(50);
    expect(percentileOfSorted(sorted, 99)).toBe(99);
    expect(percentileOfSorted(sorted, 100)).toBe(100);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    // Numeric order, not string order (10 < 9 as strings).
    expect(summariseLatencies(Float64Array.from([10, 9, 1])).maxMs).toBe(10);
  });

  it('says by how much a target is missed', () => {
    const ms = (value: number) => `${value} ms`;
    expect(atMost('erase', 200, 250, ms)).toMatchObject({ met: true, miss: '' });
    expect(atMost('erase', 300, 250, ms)).toMatchObject({ met: false, miss: 'by 50 ms (20% over)' });
    expect(atLeast('tps', 1200, 1500, String)).toMatchObject({ met: false, miss: 'by 300 (20% under)' });
    expect(atMost('kms', Number.NaN, 0, String, { relative: false })).toMatchObject({
      met: false,
      miss: 'not measured',
    });
  });
});

describe('botbuilder baseline', () => {
  it('answers every turn and keeps each person’s history in its state', async () => {
    const baseline = new BotbuilderBaseline();
    // runRound itself fails when a turn gets no reply or a person's history is incomplete.
    const { onboarding, conversation } = await baseline.runRound('test', 3, 7);
    expect(onboarding.turns).toBe(3);
    expect(conversation.turns).toBe(21);
  });
});

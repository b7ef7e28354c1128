import { randomBytes } from 'node:crypto';
import type { DataKeyRecord, DataKeyStore } from '../../../src/crypto/data-key-store-port';

/**
 * The behaviour every DataKeyStore must have, run against the SQLite store (data-key-store.test.ts),
 * the MongoDB store (under `npm run test:mongo`) and the test-only port implementation the
 * service tests use, so those tests rely only on what the real stores also do.
 */
export function describeDataKeyStoreContract(name: string, open: () => Promise<DataKeyStore>): void {
  describe(`DataKeyStore contract: ${name}`, () => {
    let store: DataKeyStore;
    beforeEach(async () => {
      store = await open();
    });

    it('finds nothing for an unknown subject', async () => {
      expect(await store.find('nobody')).toBeUndefined();
    });

    it('returns an inserted record as stored, bytes and dates intact', async () => {
      const record = sampleRecord('s-insert', { rotatedAt: new Date('2026-02-03T04:05:06.007Z') });
      expect(await store.insert(record)).toEqual(record);
      const found = await store.find('s-insert');
      expect(found).toEqual(record);
      expect(Buffer.isBuffer(found?.wrapped)).toBe(true);
    });

    it('keeps the first key when a second insert for the same subject races it', async () => {
      const first = sampleRecord('s-race');
      const second = sampleRecord('s-race');
      expect(await store.insert(first)).toEqual(first);
      const winner = await store.insert(second);
      expect(winner.wrapped.equals(first.wrapped)).toBe(true);
      expect((await store.find('s-race'))?.wrapped.equals(first.wrapped)).toBe(true);
      expect(await store.count()).toBe(1);
    });

    it('agrees on one key when many inserts for a subject run at once', async () => {
      const attempts = Array.from({ length: 8 }, () => sampleRecord('s-concurrent'));
      const results = await Promise.all(attempts.map((record) => store.insert(record)));
      const stored = await store.find('s-concurrent');
      for (const result of results) expect(result.wrapped.equals(stored!.wrapped)).toBe(true);
      expect(await store.count()).toBe(1);
    });

    it('updates the wrapping only while the record is the one that was read', async () => {
      const record = sampleRecord('s-update');
      await store.insert(record);
      const rotatedAt = new Date('2026-05-01T00:00:00.000Z');
      const next = {
        wrapped: randomBytes(40),
        providerKeyId: 'key-new',
        provider: 'local' as const,
        rotatedAt,
      };

      expect(await store.updateWrapped('s-update', record, next)).toBe(true);
      expect(await store.find('s-update')).toEqual({ ...record, ...next });
      // The same expectation again is stale now: the bytes changed.
      expect(await store.updateWrapped('s-update', record, { ...next, wrapped: randomBytes(40) })).toBe(
        false,
      );
      expect((await store.find('s-update'))?.wrapped.equals(next.wrapped)).toBe(true);
    });

    it('never writes an old wrapping over a key re-created after a shred', async () => {
      const old = sampleRecord('s-resurrect');
      await store.insert(old);
      await store.delete('s-resurrect');
      const recreated = sampleRecord('s-resurrect');
      await store.insert(recreated);
      const rewrapped = {
        wrapped: randomBytes(40),
        providerKeyId: 'k2',
        provider: 'local' as const,
        rotatedAt: new Date(),
      };
      expect(await store.updateWrapped('s-resurrect', old, rewrapped)).toBe(false);
      expect((await store.find('s-resurrect'))?.wrapped.equals(recreated.wrapped)).toBe(true);
    });

    it('reports whether a deleted key existed, and forgets it', async () => {
      await store.insert(sampleRecord('s-delete'));
      expect(await store.delete('s-delete')).toBe(true);
      expect(await store.delete('s-delete')).toBe(false);
      expect(await store.find('s-delete')).toBeUndefined();
      expect(
        await store.updateWrapped('s-delete', sampleRecord('s-delete'), {
          wrapped: randomBytes(40),
          providerKeyId: 'k',
          provider: 'local',
          rotatedAt: new Date(),
        }),
      ).toBe(false);
    });

    it('iterates every record exactly once across batches, also while they are rewritten', async () => {
      const ids = Array.from({ length: 7 }, (_, index) => `s-iter-${index}`);
      for (const id of ids) await store.insert(sampleRecord(id));
      expect(await store.count()).toBe(7);
      const seen: string[] = [];
      for await (const record of store.iterate(2)) {
        seen.push(record.subjectId);
        await store.updateWrapped(record.subjectId, record, {
          wrapped: randomBytes(60),
          providerKeyId: 'k-next',
          provider: 'local',
          rotatedAt: new Date(),
        });
      }
      expect([...seen].sort()).toEqual([...ids].sort());
    });

    it('stops cleanly when the consumer leaves an iteration early', async () => {
      for (const id of ['s-early-1', 's-early-2', 's-early-3']) await store.insert(sampleRecord(id));
      let taken = 0;
      for await (const record of store.iterate(1)) {
        expect(record.subjectId).toMatch(/^s-early-/);
        if (++taken === 1) break;
      }
      expect(taken).toBe(1);
      expect(await store.count()).toBe(3);
    });
  });
}

export function sampleRecord(subjectId: string, extra: Partial<DataKeyRecord> = {}): DataKeyRecord {
  return {
    subjectId,
    wrapped: randomBytes(69),
    keyVersion: 1,
    providerKeyId: 'local:0011223344556677',
    provider: 'local',
    // Millisecond precision: what BSON dates and SQLite's epoch-millisecond integers keep.
    createdAt: new Date('2026-01-02T03:04:05.006Z'),
    ...extra,
  };
}

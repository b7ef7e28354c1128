import { setTimeout as sleep } from 'node:timers/promises';
import { PendingFiles } from '../../../adapters/teams/pending-files';

function file(conversationKey = 'c-1', content = 'secret export') {
  return { conversationKey, name: 'export.json', mime: 'application/json', bytes: Buffer.from(content) };
}

describe('PendingFiles', () => {
  it('hands a file out once, and only to its own conversation', () => {
    const store = new PendingFiles({ maxEntries: 10, ttlMs: 60_000 });
    const id = store.put(file());
    expect(store.take(id, 'other-conversation')).toBeUndefined();
    expect(store.take(id, 'c-1')?.bytes.toString()).toBe('secret export');
    expect(store.take(id, 'c-1')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('keeps its own copy of the bytes', () => {
    const store = new PendingFiles({ maxEntries: 10, ttlMs: 60_000 });
    const original = file();
    const id = store.put(original);
    original.bytes.fill(0);
    expect(store.take(id, 'c-1')?.bytes.toString()).toBe('secret export');
  });

  it('evicts the oldest file when full', () => {
    const store = new PendingFiles({ maxEntries: 2, ttlMs: 60_000 });
    const first = store.put(file());
    const second = store.put(file());
    const third = store.put(file());
    expect(store.size).toBe(2);
    expect(store.take(first, 'c-1')).toBeUndefined();
    expect(store.take(second, 'c-1')).toBeDefined();
    expect(store.take(third, 'c-1')).toBeDefined();
  });

  it('forgets a file after its time to live and zeroes the bytes', async () => {
    const store = new PendingFiles({ maxEntries: 10, ttlMs: 20 });
    const id = store.put(file());
    const kept = (store as unknown as { entries: Map<string, { file: { bytes: Buffer } }> }).entries.get(
      id,
    )!.file;
    await sleep(60);
    expect(store.take(id, 'c-1')).toBeUndefined();
    expect(kept.bytes.every((byte) => byte === 0)).toBe(true);
  });

  it('wipes everything on clear', () => {
    const store = new PendingFiles({ maxEntries: 10, ttlMs: 60_000 });
    const id = store.put(file());
    store.clear();
    expect(store.size).toBe(0);
    expect(store.take(id, 'c-1')).toBeUndefined();
  });
});

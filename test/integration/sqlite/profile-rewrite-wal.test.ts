import { existsSync, statSync } from 'node:fs';
import { ADULT_ACCEPTS_ALL, type TestApp, startTestApp } from '../../support/test-app';

/**
 * A profile value replaced by another empties the WAL, so no old page image holds the old value
 * (src/storage/sqlite/profile-store.ts); the same value set again costs no checkpoint: the old
 * page image holds what the row holds anyway.
 */

let harness: TestApp | undefined;
afterEach(async () => {
  await harness?.db.drop();
  harness = undefined;
});

const DAY_MS = 86_400_000;

describe('profile value set again', () => {
  it('unchanged: the WAL keeps its pages; changed: the WAL is emptied; the value read back is the last one', async () => {
    const h = (harness = await startTestApp());
    const ana = h.chat('ana-profile-wal');
    await ana.press(ADULT_ACCEPTS_ALL);
    const { profiles } = h.app.services.stores;
    const wal = () => (existsSync(`${h.db.path}-wal`) ? statSync(`${h.db.path}-wal`).size : 0);
    const set = (value: string) =>
      profiles.set(ana.subjectId, 'preferredName', value, new Date(), new Date(Date.now() + DAY_MS));

    await set('Sam');
    await set('Sam');
    expect(wal()).toBeGreaterThan(0);
    expect((await profiles.get(ana.subjectId))?.fields.preferredName).toBe('Sam');

    await set('Alex');
    expect(wal()).toBe(0);
    expect((await profiles.get(ana.subjectId))?.fields.preferredName).toBe('Alex');
  });
});

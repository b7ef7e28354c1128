import { randomBytes } from 'node:crypto';
import { AppError } from '../../../src/core/errors';
import { DataKeyService } from '../../../src/crypto/data-key-service';
import type { DataKeyRecord, DataKeyStore } from '../../../src/crypto/data-key-store-port';
import { KeyCache } from '../../../src/crypto/key-cache';
import type { KeyProvider } from '../../../src/crypto/key-provider';
import { LocalKeyProvider } from '../../../src/crypto/local-key-provider';
import { logId } from '../../../src/logging/log-id';
import { createLogger } from '../../../src/logging/logger';

const SUBJECT = 'a1b2c3d4e5f6'.padEnd(64, '0789');

describe('logId', () => {
  it('is the same short prefix everywhere: enough to tell subjects apart, not the whole id', () => {
    expect(logId(SUBJECT)).toBe('a1b2c3d4e5f6');
    expect(logId(SUBJECT)).toHaveLength(12);
  });
});

/** Map-backed store: the service's logging is under test here, not storage. */
function memoryStore(): DataKeyStore {
  const rows = new Map<string, DataKeyRecord>();
  return {
    find: (id) => Promise.resolve(rows.get(id)),
    insert: (record) => {
      if (!rows.has(record.subjectId)) rows.set(record.subjectId, record);
      return Promise.resolve(rows.get(record.subjectId)!);
    },
    updateWrapped: () => Promise.resolve(false),
    delete: (id) => Promise.resolve(rows.delete(id)),
    iterate: async function* () {
      yield* rows.values();
    },
    count: () => Promise.resolve(rows.size),
  };
}

describe('DataKeyService logs', () => {
  it('name a subject only by logId, when creating, failing and shredding', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const local = new LocalKeyProvider({ masterKey: randomBytes(32), env: 'test', allowInProduction: false });
    let down = false;
    const provider: KeyProvider = Object.assign(Object.create(local) as KeyProvider, {
      generateDataKey: (ctx: Parameters<KeyProvider['generateDataKey']>[0]) =>
        down ? Promise.reject(new AppError('KMS_UNAVAILABLE', 'down')) : local.generateDataKey(ctx),
    });
    const cache = new KeyCache({ maxEntries: 10, maxAgeMs: 60_000, maxUses: 100, sweepIntervalMs: 0 });
    const service = new DataKeyService({ store: memoryStore(), provider, cache, logger });

    (await service.keyForWrite(SUBJECT)).key.fill(0);
    down = true;
    const other = SUBJECT.replace(/^a/, 'b');
    await expect(service.keyForWrite(other)).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE' });
    await service.shred(SUBJECT);

    const subjects = lines.map((line) => (JSON.parse(line) as { subject?: string }).subject);
    expect(subjects).toEqual([logId(SUBJECT), logId(other), logId(SUBJECT)]);
    expect(lines.join('\n')).not.toContain(SUBJECT.slice(0, 20));
  });
});

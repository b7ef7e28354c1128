import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { type SqliteBackend, openSqliteBackend } from '../../src/storage/sqlite/backend';
import { type ContractHarness, type StoredDump, bytesText, valueText } from './harness';
import { describeStorageContract } from './storage-contract';

/**
 * The storage contract on SQLite: on real files (a temp directory per suite, two files per test,
 * their WALs included in the dump), and once more on ':memory:'.
 */
const logger = pino({ level: 'silent' });
const IN_MEMORY = ':memory:';

let dir: string | undefined;
let opened = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'storage-contract-sqlite-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describeStorageContract('sqlite (files)', () => {
  if (!dir) throw new Error('the suite directory was not created');
  const base = path.join(dir, `test-${++opened}`);
  return Promise.resolve(sqliteHarness(`${base}.sqlite`, `${base}.keys.sqlite`));
});

describeStorageContract('sqlite (:memory:)', () => Promise.resolve(sqliteHarness(IN_MEMORY, IN_MEMORY)));

describe('sqlite: R4 and every other query the stores make is served by an index', () => {
  it('plans no full table scan and no unindexed sort for any statement the stores prepare', async () => {
    const backend = openSqliteBackend({ path: IN_MEMORY, keysPath: IN_MEMORY, logger });
    try {
      const prepared: string[] = [];
      const prepare = backend.db.prepare.bind(backend.db);
      backend.db.prepare = (sql: string) => {
        prepared.push(sql);
        return prepare(sql);
      };
      const stores = backend.createStores(
        {
          seal: () => Promise.reject(new Error('not used')),
          openText: () => Promise.reject(new Error('not used')),
        },
        () => new Date(0),
      );
      // Statements a store prepares on first use, not in its constructor.
      await stores.history.summary('s');
      await stores.profiles.describe('s');
      await stores.rightsRequests.list({});
      await backend.sweepExpired(new Date(0));

      const offending: string[] = [];
      for (const sql of new Set(prepared.map((statement) => statement.trim()))) {
        if (!/^(SELECT|UPDATE|DELETE|WITH)\b/i.test(sql)) continue;
        const named = [...new Set(sql.match(/@\w+/g) ?? [])].map((name) => [name.slice(1), 0]);
        const positional = (sql.match(/\?/g) ?? []).length;
        const explain = prepare(`EXPLAIN QUERY PLAN ${sql}`);
        const plan = (
          named.length > 0
            ? explain.all(Object.fromEntries(named))
            : explain.all(...Array<number>(positional).fill(0))
        ) as { detail: string }[];
        for (const { detail } of plan) {
          if (/^SCAN \w+$/.test(detail) || /TEMP B-TREE FOR ORDER BY/.test(detail))
            offending.push(`${detail}: ${sql.replace(/\s+/g, ' ')}`);
        }
      }
      expect(prepared.length).toBeGreaterThan(10);
      expect(offending).toEqual([]);
    } finally {
      await backend.close();
    }
  });
});

function sqliteHarness(file: string, keysFile: string): ContractHarness {
  const backend = openSqliteBackend({ path: file, keysPath: keysFile, logger });
  let closed = false;
  return {
    dataKeys: backend.dataKeys,
    createStores: (sealer, clock) => backend.createStores(sealer, clock),
    sweep: (now, batchSize) => backend.sweepExpired(now, batchSize),
    inventory: () => backend.inventory(),
    purgePersonalData: () => backend.purgePersonalData(),
    dump: () => dump(backend, [file, keysFile]),
    retireLedgerValues: (noticeHash, purpose, locale) => {
      const { changes } = backend.db
        .prepare('UPDATE consent_ledger SET purpose = ?, locale = ? WHERE notice_hash = ?')
        .run(purpose, locale, noticeHash);
      if (changes === 0) return Promise.reject(new Error(`no ledger entry with notice hash ${noticeHash}`));
      return Promise.resolve();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}

/** Every row of every table in both files, and the raw bytes of the files and their WALs. */
async function dump(backend: SqliteBackend, files: readonly string[]): Promise<StoredDump> {
  const rows: { table: string; text: string }[] = [];
  for (const handle of [backend.db, backend.keysDb]) {
    const tables = handle
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all();
    for (const { name } of tables) {
      const stored = handle.prepare<[], Record<string, unknown>>(`SELECT * FROM "${name}"`).all();
      for (const row of stored)
        rows.push({ table: name, text: Object.values(row).map(valueText).join('\n') });
    }
  }
  const raw: string[] = [];
  for (const file of files.filter((candidate) => candidate !== IN_MEMORY)) {
    for (const candidate of [file, `${file}-wal`]) {
      if (existsSync(candidate)) raw.push(bytesText(await readFile(candidate)));
    }
  }
  return { rows, files: raw.join('\n') };
}

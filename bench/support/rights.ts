/**
 * Export and erasure of one person with many stored messages, through the real data-rights
 * service (the code behind /export, /delete and `npm run privacy`). Used by `npm run bench:rights`
 * and by `npm run bench`, so both measure exactly the same thing.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../../src/app';
import type { KeyCacheStats } from '../../src/crypto/key-cache';
import { exportFileSchema } from '../../src/privacy/rights/export-format';
import type { Requester } from '../../src/privacy/rights/data-rights';
import type { StorageBackend } from '../../src/storage/backend';
import { seedConsent, seedHistory, seedName } from './seed';
import { median } from './stats';

/** The console user whose data is exported and erased. */
const PERSON = 'bench-person';

export interface RightsOptions {
  /** Stored history messages of the person. */
  readonly messages: number;
  /** Measured runs; one more runs first as a warm-up. */
  readonly runs: number;
  /** History entries per insert while seeding. */
  readonly batch: number;
}

export interface RightsResult {
  readonly messages: number;
  readonly seedMs: number;
  readonly exportMs: readonly number[];
  readonly exportBytes: readonly number[];
  readonly eraseMs: readonly number[];
  /**
   * After each erasure, until no row of the person's history is left in the file (the part past
   * the erasure's own transaction is deleted in the background; it is unreadable and hidden from
   * the moment the erasure returns). Not part of the erasure's time.
   */
  readonly erasedRowsGoneMs: readonly number[];
  readonly cacheAfterExport: KeyCacheStats;
  readonly cacheAfterErase: KeyCacheStats;
}

/** `storage` is the app's backend: its inventory shows when the erased rows are gone from the file. */
export async function measureRights(
  app: App,
  storage: StorageBackend,
  options: RightsOptions,
): Promise<RightsResult> {
  const { services } = app;
  const who: Requester = {
    subjectId: services.subjectIds.of('console', PERSON),
    origin: 'operator',
  };
  const seedMs = await seed(app, options);

  // Export: the same data every time; the first run warms the connection and the key cache.
  const exportMs: number[] = [];
  const exportBytes: number[] = [];
  for (let runIndex = 0; runIndex <= options.runs; runIndex++) {
    const started = performance.now();
    const result = await services.rights.exportFile(who);
    const elapsed = performance.now() - started;
    if (result.historyCount !== options.messages) {
      throw new Error(`export held ${result.historyCount} messages, expected ${options.messages}`);
    }
    if (runIndex === 0) {
      // Not timed: the file is what /export promises.
      exportFileSchema.parse(JSON.parse(result.bytes.toString('utf8')));
      continue;
    }
    exportMs.push(elapsed);
    exportBytes.push(result.bytes.length);
  }
  const cacheAfterExport = app.encryption.cache.stats();

  // Erasure: each run erases a freshly seeded person (the first run is the warm-up).
  const eraseMs: number[] = [];
  const erasedRowsGoneMs: number[] = [];
  for (let runIndex = 0; runIndex <= options.runs; runIndex++) {
    if (runIndex > 0) await seed(app, options);
    const started = performance.now();
    const report = await services.rights.erase(who);
    const elapsed = performance.now() - started;
    if (report.history !== options.messages || !report.keyShredded) {
      throw new Error(`erasure removed ${report.history} messages (key shredded: ${report.keyShredded})`);
    }
    if ((await services.stores.history.summary(who.subjectId)).count !== 0) {
      throw new Error('history left after erasure');
    }
    // The next run starts once this one's history is gone from the file, so no run measures
    // another's background delete.
    const gone = await historyRowsGoneMs(storage, started);
    if (runIndex > 0) {
      eraseMs.push(elapsed);
      erasedRowsGoneMs.push(gone);
    }
  }
  const cacheAfterErase = app.encryption.cache.stats();

  return {
    messages: options.messages,
    seedMs,
    exportMs,
    exportBytes,
    eraseMs,
    erasedRowsGoneMs,
    cacheAfterExport,
    cacheAfterErase,
  };
}

/**
 * Milliseconds from `started` until the file holds no history row (the person erased is the only
 * one with history in this database): the backend's inventory counts every stored row, hidden or
 * not.
 */
async function historyRowsGoneMs(storage: StorageBackend, started: number): Promise<number> {
  while ((await storage.inventory()).history > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  return performance.now() - started;
}

/** Medians of a RightsResult, as the reports print them. */
export function rightsMedians(result: RightsResult): {
  exportMs: number;
  exportBytes: number;
  eraseMs: number;
  erasedRowsGoneMs: number;
} {
  return {
    exportMs: median(result.exportMs),
    exportBytes: median(result.exportBytes),
    eraseMs: median(result.eraseMs),
    erasedRowsGoneMs: median(result.erasedRowsGoneMs),
  };
}

/**
 * A consent decision, a profile field and `messages` history entries, through the real stores
 * (encrypted, `options.batch` entries per append): what the conversations would have stored.
 */
async function seed(app: App, options: RightsOptions): Promise<number> {
  const started = performance.now();
  const subjectId = await seedConsent(app, PERSON);
  await seedName(app, subjectId, 'Bench Person');
  await seedHistory(app, undefined, {
    user: PERSON,
    messages: options.messages,
    batch: options.batch,
    expiresAt: new Date(Date.now() + app.services.config.retention.historyMs),
  });
  return performance.now() - started;
}

export interface RightsSizeFigures {
  readonly messages: number;
  readonly runs: number;
  readonly seedMs: number;
  /** Medians of the runs. */
  readonly exportMs: number;
  readonly exportBytes: number;
  readonly eraseMs: number;
  /** Median time until the erased history rows were gone from the file (see RightsResult). */
  readonly erasedRowsGoneMs: number;
  readonly raw: RightsResult;
}

/** Above this many messages a size gets one measured run: seeding it again for each erasure takes long. */
const ONE_RUN_ABOVE = 20_000;

/**
 * Export and erasure of one person with each number of stored messages, each size on a fresh
 * database of the default backend, through the app as `npm start` builds it.
 */
export async function measureRightsSizes(
  sizes: readonly number[],
  runs: number,
  openApp: () => Promise<{ app: App; storage: StorageBackend; close(): Promise<void> }>,
  progress: (line: string) => void,
): Promise<RightsSizeFigures[]> {
  const figures: RightsSizeFigures[] = [];
  for (const messages of sizes) {
    const sizeRuns = messages > ONE_RUN_ABOVE ? 1 : runs;
    progress(
      `export and erasure of ${messages.toLocaleString('en')} messages (fresh database, ${sizeRuns} runs)`,
    );
    const opened = await openApp();
    try {
      const raw = await measureRights(opened.app, opened.storage, {
        messages,
        runs: sizeRuns,
        batch: RIGHTS_SEED_BATCH,
      });
      figures.push({ messages, runs: sizeRuns, seedMs: raw.seedMs, ...rightsMedians(raw), raw });
    } finally {
      await opened.close();
    }
  }
  return figures;
}

/** History entries per append while seeding the person whose data is exported and erased. */
export const RIGHTS_SEED_BATCH = 1000;

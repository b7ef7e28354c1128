/**
 * `npm run bench:rights`: how long /export takes for 10,000 stored messages and how long /delete
 * (crypto-shredding plus deleting every row) takes, on the default SQLite backend in real files
 * with real encryption. No server is needed.
 *
 * The benchmark works on a database of its own in a temporary directory and removes it at the
 * end (bench/support/storage.ts). `npm run bench` measures the same two operations
 * (bench/support/rights.ts) next to the turn pipeline.
 *
 *   npm run bench:rights -- [--messages 10000] [--runs 5] [--batch 500]
 *
 * Targets (reported, not enforced; bench/support/targets.ts): export of 10,000 messages <= 300 ms,
 * erasure <= 50 ms.
 */
import { parseArgs } from 'node:util';
import { type App, createApp } from '../src/app';
import { errorCode } from '../src/core/errors';
import type { KeyCacheStats } from '../src/crypto/key-cache';
import { createLogger } from '../src/logging/logger';
import { positiveInt } from './support/args';
import { benchEnvironment } from './support/bench-config';
import { fmtMs, out, printTable } from './support/format';
import { type RightsOptions, measureRights, rightsMedians } from './support/rights';
import { type BenchStorage, openBenchSqlite } from './support/storage';
import { median } from './support/stats';
import { TARGETS, atMost } from './support/targets';

function parseOptions(): RightsOptions {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '5' },
      batch: { type: 'string', default: '500' },
    },
    allowPositionals: false,
  });
  return {
    messages: positiveInt('messages', values.messages),
    runs: positiveInt('runs', values.runs),
    batch: positiveInt('batch', values.batch),
  };
}

async function main(): Promise<number> {
  const options = parseOptions();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');

  const env = await benchEnvironment('bench-rights');
  let storage: BenchStorage | undefined;
  let app: App | undefined;
  try {
    storage = await openBenchSqlite('bench_rights', logger);
    app = await createApp({ config: env.config, logger, storage: storage.backend });
    await run(app, storage, options);
    return 0;
  } finally {
    await app?.close();
    await storage?.dispose();
    await env.cleanup();
  }
}

async function run(app: App, storage: BenchStorage, options: RightsOptions): Promise<void> {
  out(`bench:rights: export and erasure of ${options.messages.toLocaleString('en')} stored messages`);
  out(
    `storage: ${storage.description}; key provider: ${app.services.config.keys.provider}; ${options.runs} runs after a warm-up`,
  );
  out();

  const result = await measureRights(app, storage.backend, options);
  out(
    `seeded ${options.messages} messages in ${fmtMs(result.seedMs)} ` +
      `(${Math.round((options.messages / result.seedMs) * 1000)} messages/s, encrypted, batches of ${options.batch})`,
  );

  const { exportMs, exportBytes: bytes } = rightsMedians(result);
  out();
  printTable([
    ['operation', 'runs', 'median', 'min', 'max', 'target', 'result'],
    row('export', result.exportMs, TARGETS.exportMs),
    row('erase', result.eraseMs, TARGETS.eraseMs),
  ]);
  out(
    `erased history gone from the file (background delete) after ${fmtMs(median(result.erasedRowsGoneMs))} ` +
      '(median; unreadable and hidden from the moment the erasure returns)',
  );
  out();
  out(
    `export file: ${(bytes / 1024 / 1024).toFixed(2)} MB; throughput at the median: ` +
      `${(bytes / 1024 / 1024 / (exportMs / 1000)).toFixed(1)} MB/s, ` +
      `${Math.round(options.messages / (exportMs / 1000)).toLocaleString('en')} messages/s`,
  );
  out();
  printTable([
    ['key cache', 'hits', 'misses', 'evictions', 'expirations', 'deletions', 'size'],
    statsRow('after exports', result.cacheAfterExport),
    statsRow('after erasures', result.cacheAfterErase),
  ]);
}

function row(name: string, times: readonly number[], target: number): string[] {
  const mid = median(times);
  return [
    name,
    String(times.length),
    fmtMs(mid),
    fmtMs(Math.min(...times)),
    fmtMs(Math.max(...times)),
    `<= ${fmtMs(target)}`,
    mid <= target ? 'meets target' : `MISSES target ${atMost(name, mid, target, fmtMs).miss}`,
  ];
}

function statsRow(name: string, stats: KeyCacheStats): string[] {
  return [
    name,
    stats.hits,
    stats.misses,
    stats.evictions,
    stats.expirations,
    stats.deletions,
    stats.size,
  ].map(String);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:rights failed: ${errorCode(error)}: ${(error as Error).message}\n`);
    process.exit(1);
  },
);

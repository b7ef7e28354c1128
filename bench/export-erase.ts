/**
 * `npm run bench:rights`: how long /export takes for 10,000 stored messages and how long /delete
 * (crypto-shredding plus deleting every document) takes, on a real MongoDB with real encryption.
 *
 * MongoDB comes the way `npm test` gets it (src/storage/mongo/provision.ts): MONGODB_URI when set,
 * else a mongod from MONGOD_BIN, PATH, the cache or NuGet, else mongodb-memory-server's download.
 * The benchmark works on a fresh database of its own and drops it at the end.
 *
 *   npm run bench:rights -- [--messages 10000] [--runs 5] [--batch 500]
 *
 * Targets (reported, not enforced): export of 10,000 messages <= 1 s, erasure <= 250 ms.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type App, createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { errorCode } from '../src/core/errors';
import type { KeyCacheStats } from '../src/crypto';
import { createLogger } from '../src/logging/logger';
import { exportFileSchema } from '../src/privacy/rights/export-format';
import type { Requester } from '../src/privacy/rights/data-rights';
import type { HistoryEntryInput } from '../src/storage/ports';
import { type Database, openDatabase } from '../src/storage/mongo/connection';
import { type ProvisionedMongo, provisionMongo } from '../src/storage/mongo/provision';
import { historyEntryModel } from '../src/storage/mongo/models/history-entry';
import { registerModels } from '../src/storage/mongo/stores';

const TARGET_EXPORT_MS = 1000;
const TARGET_ERASE_MS = 250;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Options {
  readonly messages: number;
  readonly runs: number;
  readonly batch: number;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '5' },
      batch: { type: 'string', default: '500' },
    },
    allowPositionals: false,
  });
  const number = (name: string, raw: string | undefined): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  return {
    messages: number('messages', values.messages),
    runs: number('runs', values.runs),
    batch: number('batch', values.batch),
  };
}

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');

  let mongo: ProvisionedMongo;
  try {
    mongo = await provisionMongo({
      uri: process.env.MONGODB_URI,
      mongodBin: process.env.MONGOD_BIN,
      logger,
    });
  } catch (error) {
    process.stderr.write(
      `bench:rights needs MongoDB and none could be provisioned.\n` +
        `Set MONGODB_URI (a running server) or MONGOD_BIN (a mongod binary), or put mongod on PATH.\n` +
        `${(error as Error).message}\n`,
    );
    return 1;
  }

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-rights-'));
  let db: Database | undefined;
  let app: App | undefined;
  try {
    try {
      db = await openDatabase(mongo.uri, logger, registerModels, {
        dbName: `bench_rights_${randomBytes(6).toString('hex')}`,
      });
    } catch (error) {
      process.stderr.write(
        `bench:rights could not open MongoDB at ${mongo.source} (${errorCode(error)}). Is the server running?\n`,
      );
      return 1;
    }
    const config = loadConfig({
      ...process.env,
      // Throw-away key material: nothing of the benchmark outlives it.
      DATA_DIR: dataDir,
      SUBJECT_ID_PEPPER: randomBytes(32).toString('hex'),
      LOCAL_MASTER_KEY: process.env.LOCAL_MASTER_KEY ?? randomBytes(32).toString('base64'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    app = await createApp({ config, logger, connection: db.connection });
    await run(app, db, mongo.source, options);
    return 0;
  } finally {
    app?.close();
    await db?.connection.dropDatabase().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await mongo.stop().catch(() => undefined);
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function run(app: App, db: Database, source: string, options: Options): Promise<void> {
  const { services } = app;
  const who: Requester = {
    subjectId: services.subjectIds.of('console', 'bench-person'),
    origin: 'operator',
  };
  const history = historyEntryModel(db.connection);

  out(`bench:rights: export and erasure of ${options.messages.toLocaleString('en')} stored messages`);
  out(
    `MongoDB: ${source}; key provider: ${services.config.keys.provider}; ${options.runs} runs after a warm-up`,
  );
  out();

  const seedMs = await seed(app, who.subjectId, options);
  out(
    `seeded ${options.messages} messages in ${fmtMs(seedMs)} ` +
      `(${Math.round((options.messages / seedMs) * 1000)} messages/s, encrypted, batches of ${options.batch})`,
  );

  // Export: the same data every time; the first run warms the connection and the key cache.
  const exportTimes: number[] = [];
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
    exportTimes.push(elapsed);
    exportBytes.push(result.bytes.length);
  }
  const afterExport = app.encryption.cache.stats();

  // Erasure: each run erases a freshly seeded person (the first run is the warm-up).
  const eraseTimes: number[] = [];
  for (let runIndex = 0; runIndex <= options.runs; runIndex++) {
    if (runIndex > 0) await seed(app, who.subjectId, options);
    const started = performance.now();
    const report = await services.rights.erase(who);
    const elapsed = performance.now() - started;
    if (report.history !== options.messages || !report.keyShredded) {
      throw new Error(`erasure removed ${report.history} messages (key shredded: ${report.keyShredded})`);
    }
    if ((await history.countDocuments({ subjectId: who.subjectId })) !== 0) {
      throw new Error('history left after erasure');
    }
    if (runIndex > 0) eraseTimes.push(elapsed);
  }
  const afterErase = app.encryption.cache.stats();

  const exportMedian = median(exportTimes);
  const bytes = median(exportBytes);
  out();
  printTable([
    ['operation', 'runs', 'median', 'min', 'max', 'target', 'result'],
    row('export', exportTimes, TARGET_EXPORT_MS),
    row('erase', eraseTimes, TARGET_ERASE_MS),
  ]);
  out();
  out(
    `export file: ${(bytes / 1024 / 1024).toFixed(2)} MB; throughput at the median: ` +
      `${(bytes / 1024 / 1024 / (exportMedian / 1000)).toFixed(1)} MB/s, ` +
      `${Math.round(options.messages / (exportMedian / 1000)).toLocaleString('en')} messages/s`,
  );
  out();
  printTable([
    ['key cache', 'hits', 'misses', 'evictions', 'expirations', 'deletions', 'size'],
    statsRow('after exports', afterExport),
    statsRow('after erasures', afterErase),
  ]);
}

/** A consent decision, a profile field and `messages` history entries, through the real stores. */
async function seed(app: App, subjectId: string, options: Options): Promise<number> {
  const { services } = app;
  const { stores, config } = services;
  const started = performance.now();
  const at = new Date();
  await services.consent.decide({
    subjectId,
    previous: await stores.subjects.get(subjectId),
    choices: { history: true, personalization: true, analytics: false },
    noticeText: 'bench',
    locale: 'en',
    channel: 'console',
    at,
  });
  await stores.profiles.set(subjectId, 'preferredName', 'Bench Person', at, new Date(at.getTime() + DAY_MS));
  const conversationId = services.subjectIds.conversation('console', 'bench-person');
  const expiresAt = new Date(at.getTime() + config.retention.historyMs);
  // One message a second up to now, like a long conversation.
  const first = at.getTime() - options.messages * 1000;
  for (let offset = 0; offset < options.messages; offset += options.batch) {
    const entries: HistoryEntryInput[] = [];
    for (let index = offset; index < Math.min(offset + options.batch, options.messages); index++) {
      const person = index % 2 === 0;
      entries.push({
        subjectId,
        conversationId,
        speaker: person ? 'person' : 'bot',
        text: messageText(index, person),
        ...(person && index % 50 === 0 && { tag: 'note' }),
        at: new Date(first + index * 1000),
      });
    }
    await stores.history.append(entries, expiresAt);
  }
  return performance.now() - started;
}

function messageText(index: number, person: boolean): string {
  return person
    ? `Message ${index}: remember that the meeting about the garden project moved to Thursday, room ${index % 97}.`
    : `Noted. I will remember that until your history expires. Ask me "what did I tell you?" any time. (${index})`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
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
    mid <= target ? 'meets target' : 'MISSES target',
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

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  for (const cells of rows)
    out(
      cells
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:rights failed: ${errorCode(error)}: ${(error as Error).message}\n`);
    process.exit(1);
  },
);

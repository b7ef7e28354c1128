/**
 * How cost grows with what is stored, on the default backend with the full pipeline:
 *
 * - stored people: closed-loop throughput and p99, and open-loop p99 at a fixed rate, on a
 *   database that already holds N people (consent, ledger, data key, history, profile); and the
 *   KMS calls a returning person costs when their data key is not in the cache;
 * - retention sweep: a pass deleting N expired history rows (backend.sweepExpired, what the
 *   product's sweeper runs), how long it takes with live turns arriving, and the open-loop p99 of
 *   those turns against the same load without a sweep.
 *
 * Every size gets a fresh SQLite file (bench/support/storage.ts), seeded through the product's
 * stores (bench/support/seed.ts).
 */
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { AppConfig } from '../../src/config/config';
import type { Logger } from '../../src/logging/logger';
import type { SqliteBackend } from '../../src/storage/sqlite/backend';
import { callsBetween } from './counting-key-provider';
import { collectGarbage } from './load';
import { type OpenLoopPoint, driveCrowd, joinAndWarmUp, pointOf } from './open-loop-suite';
import { PipelineCrowd, type PipelineVariant, runPipelineRound, startVariant } from './pipeline-variants';
import { seedConsent, seedHistory, seedPeople } from './seed';
import { median } from './stats';

export interface LiveLoad {
  /** Closed loop: people at once and turns each, as in the main closed loop. */
  readonly people: number;
  readonly turns: number;
  readonly runs: number;
  /** Open loop: offered turns per second, and for how long (after a warm-up). */
  readonly rate: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** People in the open loop's crowd (round-robin). */
  readonly crowd: number;
}

export interface StoredPeopleFigures {
  readonly storedPeople: number;
  readonly seedMs: number;
  /** Data file plus its WAL after seeding. */
  readonly dataFileBytes: number;
  /** Closed loop, medians of the runs. */
  readonly turnsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Open loop at LiveLoad.rate. */
  readonly open: OpenLoopPoint;
  /** Stored people who came back with their data key out of the cache ("what did I tell you?"). */
  readonly returningPeople: number;
  readonly kmsCallsPerReturningPerson: number;
  readonly kmsCallsPerWarmTurn: number;
  readonly kmsCallsPerNewPerson: number;
}

/** The prefix of stored people's console user ids, as PipelineCrowd names its people. */
const STORED = 'stored';
/** People per outer transaction while seeding. */
const SEED_PEOPLE_BATCH = 5000;

export async function measureStoredPeople(
  sizes: readonly number[],
  load: LiveLoad,
  config: AppConfig,
  logger: Logger,
  progress: (line: string) => void,
): Promise<StoredPeopleFigures[]> {
  const figures: StoredPeopleFigures[] = [];
  for (const size of sizes) {
    const variant = await startVariant('full', config, logger);
    try {
      progress(`stored people: seeding ${size.toLocaleString('en')} people`);
      const backend = sqliteOf(variant);
      const seedMs = await seedPeople(variant.app, backend, {
        prefix: `${STORED}-p`,
        people: size,
        batch: SEED_PEOPLE_BATCH,
      });
      const dataFileBytes = fileBytes(backend);
      collectGarbage();

      progress(`stored people, ${size.toLocaleString('en')}: closed loop`);
      await runPipelineRound(variant, `s${size}-warmup`, load.people, load.turns);
      const rounds = [];
      for (let run = 1; run <= load.runs; run++) {
        rounds.push(await runPipelineRound(variant, `s${size}-run${run}`, load.people, load.turns));
        collectGarbage();
      }

      progress(`stored people, ${size.toLocaleString('en')}: open loop at ${load.rate} turns/s`);
      const crowd = new PipelineCrowd(variant, `s${size}-live`);
      const cursor = { next: 0 };
      await joinAndWarmUp(crowd, load.crowd, load.rate, load.warmupMs * 3, cursor);
      const open = pointOf(
        await driveCrowd(
          crowd,
          load.crowd,
          { rate: load.rate, warmupMs: load.warmupMs, durationMs: load.durationMs, seed: load.rate },
          cursor,
        ),
      );
      await crowd.check();

      const returning = await returningPeople(variant, size);
      figures.push({
        storedPeople: size,
        seedMs,
        dataFileBytes,
        turnsPerSecond: median(rounds.map((r) => r.conversation.turnsPerSecond)),
        p50Ms: median(rounds.map((r) => r.conversation.latency.p50Ms)),
        p99Ms: median(rounds.map((r) => r.conversation.latency.p99Ms)),
        open,
        returningPeople: returning.people,
        kmsCallsPerReturningPerson: returning.callsPerPerson,
        kmsCallsPerWarmTurn: median(rounds.map((r) => r.kms.conversation.total / r.conversation.turns)),
        kmsCallsPerNewPerson: median(rounds.map((r) => r.kms.onboarding.total / load.people)),
      });
    } finally {
      await variant.close();
    }
    collectGarbage();
  }
  return figures;
}

/**
 * Up to 100 stored people, spread over all of them, come back and ask what they told the bot,
 * with their data key dropped from the cache first (as after a restart or the cache's expiry):
 * what a returning person costs in KMS calls. Each reply must hold their note, so the key was
 * really fetched and used.
 */
async function returningPeople(
  variant: PipelineVariant,
  stored: number,
): Promise<{ people: number; callsPerPerson: number }> {
  const { app, provider } = variant;
  const people = Math.min(100, stored);
  const chosen = Array.from({ length: people }, (_, index) => Math.floor((index * stored) / people));
  for (const index of chosen) {
    app.encryption.cache.delete(app.services.subjectIds.of('console', `${STORED}-p-${index}`));
  }
  const before = provider.calls();
  await Promise.all(
    chosen.map(async (index) => {
      const user = `${STORED}-p-${index}`;
      const replies = await app.engine.handle({
        channel: 'console',
        conversationKey: user,
        userKey: user,
        isPrivateChat: true,
        receivedAt: new Date(),
        text: 'what did I tell you?',
      });
      const note = `my locker is ${index % 500}`;
      if (!replies.some((reply) => reply.kind === 'text' && reply.text.includes(note))) {
        throw new Error(`stored person ${index} did not get their note back`);
      }
    }),
  );
  return { people, callsPerPerson: callsBetween(before, provider.calls()).total / people };
}

export interface SweepFigures {
  readonly expiredRows: number;
  /** People the expired rows belonged to. */
  readonly owners: number;
  readonly seedMs: number;
  /** Rows deleted per table by the pass. */
  readonly deleted: Readonly<Record<string, number>>;
  readonly sweepMs: number;
  readonly rowsPerSecond: number;
  readonly liveRate: number;
  /** The same open-loop load, first without a sweep, then while the sweep runs. */
  readonly withoutSweep: OpenLoopPoint;
  readonly duringSweep: OpenLoopPoint;
  /** duringSweep p99 / withoutSweep p99. */
  readonly p99Ratio: number;
}

/** Expired history rows per owner while seeding the sweep (and per append). */
const ROWS_PER_OWNER = 1000;

export async function measureSweep(
  rows: number,
  load: LiveLoad,
  config: AppConfig,
  logger: Logger,
  progress: (line: string) => void,
): Promise<SweepFigures> {
  const variant = await startVariant('full', config, logger);
  try {
    const backend = sqliteOf(variant);
    const { app } = variant;
    progress(`retention sweep: seeding ${rows.toLocaleString('en')} expired history rows`);
    const started = performance.now();
    const owners = Math.ceil(rows / ROWS_PER_OWNER);
    // Written a minute ago and already past their expiry: what a sweep finds after a quiet spell.
    const expiredAt = new Date(Date.now() - 60_000);
    for (let owner = 0; owner < owners; owner++) {
      const user = `expired-${owner}`;
      await seedConsent(app, user);
      const messages = Math.min(ROWS_PER_OWNER, rows - owner * ROWS_PER_OWNER);
      await seedHistory(app, backend, { user, messages, batch: ROWS_PER_OWNER, expiresAt: expiredAt });
    }
    const seedMs = performance.now() - started;
    collectGarbage();

    const crowd = new PipelineCrowd(variant, 'sweep-live');
    const cursor = { next: 0 };
    await joinAndWarmUp(crowd, load.crowd, load.rate, load.warmupMs * 3, cursor);
    progress(`retention sweep: live load at ${load.rate} turns/s without a sweep`);
    const withoutSweep = pointOf(
      await driveCrowd(
        crowd,
        load.crowd,
        { rate: load.rate, warmupMs: load.warmupMs, durationMs: load.durationMs, seed: load.rate },
        cursor,
      ),
    );
    collectGarbage();

    progress(`retention sweep: deleting ${rows.toLocaleString('en')} expired rows under the same load`);
    let done = false;
    const sweepStarted = performance.now();
    const sweep = backend.sweepExpired(new Date()).finally(() => {
      done = true;
    });
    const during = driveCrowd(
      crowd,
      load.crowd,
      {
        rate: load.rate,
        warmupMs: 0,
        durationMs: 0,
        seed: load.rate + 1,
        until: () => done,
        // A sweep of a few rows is over at once: a few arrivals at least, so there is a p99.
        minMs: 200,
        maxMs: 600_000,
      },
      cursor,
    );
    const deleted = await sweep;
    const sweepMs = performance.now() - sweepStarted;
    const duringSweep = pointOf(await during);
    await crowd.check();
    if (deleted.history !== rows) {
      throw new Error(`the sweep deleted ${deleted.history} history rows, expected ${rows}`);
    }
    return {
      expiredRows: rows,
      owners,
      seedMs,
      deleted,
      sweepMs,
      rowsPerSecond: (rows / sweepMs) * 1000,
      liveRate: load.rate,
      withoutSweep,
      duringSweep,
      p99Ratio: duringSweep.p99Ms / withoutSweep.p99Ms,
    };
  } finally {
    await variant.close();
    collectGarbage();
  }
}

function sqliteOf(variant: PipelineVariant): SqliteBackend {
  const { backend } = variant.storage;
  if (backend.kind !== 'sqlite') throw new Error('cost growth is measured on the default SQLite backend');
  return backend as SqliteBackend;
}

function fileBytes(backend: SqliteBackend): number {
  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return size(backend.location) + size(`${backend.location}-wal`);
}

/**
 * Export and erasure of one person with many stored messages, through the real data-rights
 * service (the code behind /export, /delete and `npm run privacy`). Used by `npm run bench:rights`
 * and by `npm run bench`, so both measure exactly the same thing.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../../src/app';
import type { KeyCacheStats } from '../../src/crypto';
import { exportFileSchema } from '../../src/privacy/rights/export-format';
import type { Requester } from '../../src/privacy/rights/data-rights';
import type { HistoryEntryInput } from '../../src/storage/ports';
import { median } from './stats';

const DAY_MS = 24 * 60 * 60 * 1000;

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
  readonly cacheAfterExport: KeyCacheStats;
  readonly cacheAfterErase: KeyCacheStats;
}

export async function measureRights(app: App, options: RightsOptions): Promise<RightsResult> {
  const { services } = app;
  const who: Requester = {
    subjectId: services.subjectIds.of('console', 'bench-person'),
    origin: 'operator',
  };
  const seedMs = await seed(app, who.subjectId, options);

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
  for (let runIndex = 0; runIndex <= options.runs; runIndex++) {
    if (runIndex > 0) await seed(app, who.subjectId, options);
    const started = performance.now();
    const report = await services.rights.erase(who);
    const elapsed = performance.now() - started;
    if (report.history !== options.messages || !report.keyShredded) {
      throw new Error(`erasure removed ${report.history} messages (key shredded: ${report.keyShredded})`);
    }
    if ((await services.stores.history.summary(who.subjectId)).count !== 0) {
      throw new Error('history left after erasure');
    }
    if (runIndex > 0) eraseMs.push(elapsed);
  }
  const cacheAfterErase = app.encryption.cache.stats();

  return {
    messages: options.messages,
    seedMs,
    exportMs,
    exportBytes,
    eraseMs,
    cacheAfterExport,
    cacheAfterErase,
  };
}

/** Medians of a RightsResult, as the reports print them. */
export function rightsMedians(result: RightsResult): {
  exportMs: number;
  exportBytes: number;
  eraseMs: number;
} {
  return {
    exportMs: median(result.exportMs),
    exportBytes: median(result.exportBytes),
    eraseMs: median(result.eraseMs),
  };
}

/**
 * A consent decision, a profile field and `messages` history entries, through the real stores
 * (encrypted, `options.batch` entries per append): what the conversations would have stored.
 */
async function seed(app: App, subjectId: string, options: RightsOptions): Promise<number> {
  const { services } = app;
  const { stores, config } = services;
  const started = performance.now();
  const at = new Date();
  await services.consent.decide({
    subjectId,
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

/**
 * Filling a database before a measurement, through the product's own code (the consent service,
 * the encrypted history and profile stores, the data-key service), so every row is exactly what
 * the bot would have written: sealed with the person's data key, ids and AAD bindings included.
 * Speed comes from batching only: many store calls inside one outer SQLite transaction (the
 * stores' own transactions become savepoints inside it), and history appended many entries at a
 * time.
 */
import { performance } from 'node:perf_hooks';
import type { App } from '../../src/app';
import type { HistoryEntryInput } from '../../src/storage/ports';
import type { SqliteBackend } from '../../src/storage/sqlite/backend';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs `work` inside one transaction on the data file and one on the key file (SQLite only;
 * other backends run it as it is). Nothing else may use the database meanwhile: the benchmark
 * seeds before it measures.
 */
export async function inOneTransaction(backend: SqliteBackend | undefined, work: () => Promise<void>) {
  if (!backend) return work();
  const { db, keysDb } = backend;
  db.exec('BEGIN IMMEDIATE');
  keysDb.exec('BEGIN IMMEDIATE');
  try {
    await work();
    keysDb.exec('COMMIT');
    db.exec('COMMIT');
  } catch (error) {
    if (keysDb.inTransaction) keysDb.exec('ROLLBACK');
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

export interface SeedPeopleOptions {
  /** Person `i` is console user `${prefix}-${i}`: a later turn from that user is theirs. */
  readonly prefix: string;
  readonly people: number;
  /** People per outer transaction. */
  readonly batch: number;
}

/**
 * `people` people as a conversation would have left them: a consent decision (state and ledger),
 * a data key, a note they asked the bot to remember with the bot's reply, and a preferred name.
 * Returns the milliseconds it took.
 */
export async function seedPeople(
  app: App,
  backend: SqliteBackend | undefined,
  options: SeedPeopleOptions,
): Promise<number> {
  const { services } = app;
  const { stores, config, subjectIds } = services;
  const started = performance.now();
  for (let offset = 0; offset < options.people; offset += options.batch) {
    await inOneTransaction(backend, async () => {
      for (let index = offset; index < Math.min(offset + options.batch, options.people); index++) {
        const user = `${options.prefix}-${index}`;
        const subjectId = subjectIds.of('console', user);
        const conversationId = subjectIds.conversation('console', user);
        const at = new Date();
        await services.consent.decide({
          subjectId,
          choices: { history: true, personalization: true, analytics: false },
          noticeText: 'bench',
          locale: 'en',
          channel: 'console',
          at,
        });
        await stores.history.append(
          [
            {
              subjectId,
              conversationId,
              speaker: 'person',
              text: `remember that my locker is ${index % 500}`,
              tag: 'note',
              at,
            },
            {
              subjectId,
              conversationId,
              speaker: 'bot',
              text: 'Noted. I will remember that until your history expires.',
              at,
            },
          ],
          new Date(at.getTime() + config.retention.historyMs),
        );
        await stores.profiles.set(
          subjectId,
          'preferredName',
          `Person ${index}`,
          at,
          new Date(at.getTime() + config.retention.profileMs),
        );
      }
    });
  }
  return performance.now() - started;
}

export interface SeedHistoryOptions {
  /** The person: console user `user`, who has consented to history (see seedConsent). */
  readonly user: string;
  readonly messages: number;
  /** Entries per append (and per outer transaction). */
  readonly batch: number;
  readonly expiresAt: Date;
}

/** A consent decision granting history and personalisation, as the consent button records it. */
export async function seedConsent(app: App, user: string, at = new Date()): Promise<string> {
  const subjectId = app.services.subjectIds.of('console', user);
  await app.services.consent.decide({
    subjectId,
    choices: { history: true, personalization: true, analytics: false },
    noticeText: 'bench',
    locale: 'en',
    channel: 'console',
    at,
  });
  return subjectId;
}

/**
 * `messages` history lines of one person, alternating the person's message and the bot's reply,
 * one a second up to now (a long conversation), every fiftieth message a note.
 */
export async function seedHistory(
  app: App,
  backend: SqliteBackend | undefined,
  options: SeedHistoryOptions,
): Promise<number> {
  const { subjectIds, stores } = app.services;
  const subjectId = subjectIds.of('console', options.user);
  const conversationId = subjectIds.conversation('console', options.user);
  const started = performance.now();
  const first = Date.now() - options.messages * 1000;
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
    await inOneTransaction(backend, () => stores.history.append(entries, options.expiresAt));
  }
  return performance.now() - started;
}

function messageText(index: number, person: boolean): string {
  return person
    ? `Message ${index}: remember that the meeting about the garden project moved to Thursday, room ${index % 97}.`
    : `Noted. I will remember that until your history expires. Ask me "what did I tell you?" any time. (${index})`;
}

/** A profile field with a day to live, as "call me ..." stores it. */
export function seedName(app: App, subjectId: string, name: string, at = new Date()): Promise<void> {
  return app.services.stores.profiles.set(
    subjectId,
    'preferredName',
    name,
    at,
    new Date(at.getTime() + DAY_MS),
  );
}

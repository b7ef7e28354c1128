import os from 'node:os';
import path from 'node:path';
import { mongo, type Connection } from 'mongoose';
import pino from 'pino';
import { createApp, type App, type AppDeps } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import type { IncomingMessage, OutgoingMessage, TextReply } from '../../src/core/messages';
import { openTestDatabase } from './db';

/**
 * "Accept all" and the age-screen answer "16 or older" in one tap: the button the age screen
 * offers after "Accept all" (dialogs/consent/age-screen.ts). Tests that are not about onboarding
 * use it to get a person with every consent in one turn.
 */
export const ADULT_ACCEPTS_ALL = 'consent:age:111:adult:en';

export const TEST_PEPPER = 'test-pepper-test-pepper-test-pepper-0001';

export type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

/** What a test may hand createApp besides the configuration: a KMS double's options, a clock, a logger. */
export type TestAppExtras = Partial<Pick<AppDeps, 'keyProviderOptions' | 'keyProvider' | 'clock' | 'logger'>>;

/** The apps started on each database, so dropping the database also closes them. */
const appsOn = new WeakMap<TestDatabase, Set<App>>();

/**
 * The real app (engine, dialogs, mongoose stores) on a throw-away database of the run's mongod.
 * Pass `database` to start another app on the same data (a restart). `db.drop()` closes every
 * app started on that database by this function; `close()` closes just this one.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  database?: TestDatabase,
  extras: TestAppExtras = {},
) {
  const db = database ?? closingAppsOnDrop(await openTestDatabase());
  const config = loadConfig({
    DATA_DIR: path.join(os.tmpdir(), 'privacy-bot-tests'),
    SUBJECT_ID_PEPPER: TEST_PEPPER,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app: App = await createApp({
    config,
    logger: extras.logger ?? pino({ level: 'silent' }),
    connection: db.connection,
    ...(extras.clock && { clock: extras.clock }),
    ...(extras.keyProviderOptions && { keyProviderOptions: extras.keyProviderOptions }),
    ...(extras.keyProvider && { keyProvider: extras.keyProvider }),
  });
  const apps = appsOn.get(db) ?? new Set<App>();
  appsOn.set(db, apps);
  apps.add(app);
  return {
    app,
    db,
    config,
    /** Zero the app's cached keys and close its KMS client; idempotent. */
    close: (): void => {
      if (apps.delete(app)) app.close();
    },
    chat: (user = 'ana', defaults: Partial<IncomingMessage> = {}) => chatAs(app, user, defaults),
  };
}

/** `drop()` and `close()` of a database opened here first close the apps started on it. */
function closingAppsOnDrop(raw: TestDatabase): TestDatabase {
  const closeApps = () => {
    const apps = appsOn.get(wrapped);
    for (const app of apps ?? []) app.close();
    apps?.clear();
  };
  const wrapped: TestDatabase = {
    ...raw,
    drop: async () => {
      closeApps();
      await raw.drop();
    },
    close: async () => {
      closeApps();
      await raw.close();
    },
  };
  return wrapped;
}

/** A scripted conversation in the spirit of botbuilder's TestFlow: send, then look at the replies. */
export function chatAs(app: App, user: string, defaults: Partial<IncomingMessage> = {}) {
  const send = async (input: string | { action: string }): Promise<TextReply[]> => {
    const message: IncomingMessage = {
      channel: 'console',
      conversationKey: user,
      userKey: user,
      isPrivateChat: true,
      receivedAt: new Date(),
      ...defaults,
      ...(typeof input === 'string' ? { text: input } : { action: input.action }),
    };
    return textsOf(await app.engine.handle(message));
  };
  return { send, subjectId: app.services.subjectIds.of(defaults.channel ?? 'console', user) };
}

export function textsOf(replies: readonly OutgoingMessage[]): TextReply[] {
  return replies.filter((reply): reply is TextReply => reply.kind === 'text');
}

export function actionIds(replies: readonly TextReply[]): string[] {
  return replies.flatMap((reply) => (reply.actions ?? []).map((action) => action.id));
}

/** Every document of every collection, for looking for what must not be there. */
export interface DatabaseDump {
  /** Collection name to its documents, as the driver returns them (no mongoose). */
  readonly collections: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  /**
   * One searchable text: each collection as EJSON, then every string value as stored (no JSON
   * escaping) and every binary value both as base64 and decoded as UTF-8.
   */
  readonly text: string;
}

export async function dumpDatabase(connection: Connection): Promise<DatabaseDump> {
  const database = connection.db;
  if (!database) throw new Error('the connection is not open');
  const collections = new Map<string, Record<string, unknown>[]>();
  const parts: string[] = [];
  const names = (await database.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  for (const name of names.sort()) {
    const docs = await database.collection(name).find({}).toArray();
    collections.set(name, docs);
    parts.push(`== ${name}`, mongo.BSON.EJSON.stringify(docs));
    for (const doc of docs) collectLeaves(doc, parts);
  }
  return { collections, text: parts.join('\n') };
}

function collectLeaves(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (isBinary(value)) into.push(value.toString('base64'), value.toString('utf8'));
  else if (Buffer.isBuffer(value)) into.push(value.toString('base64'), value.toString('utf8'));
  else if (Array.isArray(value)) for (const item of value) collectLeaves(item, into);
  else if (value && typeof value === 'object' && !(value instanceof Date) && !('_bsontype' in value)) {
    for (const inner of Object.values(value)) collectLeaves(inner, into);
  }
}

function isBinary(value: unknown): value is mongo.Binary {
  return (
    typeof value === 'object' && value !== null && (value as { _bsontype?: unknown })._bsontype === 'Binary'
  );
}

/**
 * The needles found in `haystack` as whole words: a short one such as "4711" must not count when
 * it merely occurs inside a hex id or a base64 run, but does count inside a sentence or a JSON string.
 */
export function leaksIn(haystack: string, needles: readonly string[]): string[] {
  return needles.filter((needle) => {
    const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'u').test(haystack);
  });
}

import pino from 'pino';
import { createApp, type App, type AppDeps } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import type { IncomingMessage, OutgoingMessage, TextReply } from '../../src/core/messages';
import { type SignOptions, consentAction } from './consent-buttons';
import { type TestDatabase, openTestDatabase } from './db';

export { type DatabaseDump, type TestDatabase, dumpDatabase, leaksIn } from './db';

/**
 * "Accept all" and the age-screen answer "16 or older" in one tap: the button the age screen
 * offers after "Accept all" (dialogs/consent/age-screen.ts). Tests that are not about onboarding
 * use it to get a person with every consent in one turn. Unsigned: the bot only takes it signed
 * for the person pressing it, so press it with `chat(user).press(ADULT_ACCEPTS_ALL)` or sign it
 * with consentAction() (./consent-buttons.ts).
 */
export const ADULT_ACCEPTS_ALL = 'consent:age:111:adult:en';

export const TEST_PEPPER = 'test-pepper-test-pepper-test-pepper-0001';

/** What a test may hand createApp besides the configuration: a KMS double's options, a clock, a logger. */
export type TestAppExtras = Partial<Pick<AppDeps, 'keyProviderOptions' | 'keyProvider' | 'clock' | 'logger'>>;

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * The real app (engine, dialogs, the default SQLite stores) on a fresh data file and key file in a
 * temporary directory, which is also its DATA_DIR (pepper and local master key files).
 *
 * Pass the `database` of an earlier app to restart on the same files: its backend is closed (and
 * the apps on it) and a new one is opened, as a new process would. `db.drop()` closes every app
 * started on the database and deletes the files; `close()` closes just this app.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  database?: TestDatabase,
  extras: TestAppExtras = {},
) {
  const db = database ?? openTestDatabase();
  try {
    if (database) await db.reopen();
    const config = loadConfig({
      DATA_DIR: db.dir,
      SUBJECT_ID_PEPPER: TEST_PEPPER,
      LOG_LEVEL: 'silent',
      ...env,
      // The files the test looks at are the files the app uses, whatever `env` says.
      DATABASE_PATH: db.path,
      DATA_KEYS_PATH: db.keysPath,
    });
    const app: App = await createApp({
      config,
      logger: extras.logger ?? pino({ level: 'silent' }),
      storage: db.backend,
      ...(extras.clock && { clock: extras.clock }),
      ...(extras.keyProviderOptions && { keyProviderOptions: extras.keyProviderOptions }),
      ...(extras.keyProvider && { keyProvider: extras.keyProvider }),
    });
    let open = true;
    /** Write the app's usage counts, zero its cached keys and close its KMS client; idempotent. */
    const close = async (): Promise<void> => {
      if (!open) return;
      open = false;
      await app.close();
    };
    db.onClose(close);
    return {
      app,
      db,
      config,
      close,
      chat: (user = 'ana', defaults: Partial<IncomingMessage> = {}) => chatAs(app, user, defaults),
    };
  } catch (error) {
    // Nobody else holds a database this call opened.
    if (!database) await db.drop();
    throw error;
  }
}

/** A scripted conversation in the spirit of botbuilder's TestFlow: send, then look at the replies. */
export function chatAs(app: App, user: string, defaults: Partial<IncomingMessage> = {}) {
  const userKey = defaults.userKey ?? user;
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
  /** Press a consent button (unsigned, e.g. ADULT_ACCEPTS_ALL) as the bot issued it to this person. */
  const press = (unsigned: string, options: Omit<SignOptions, 'channel'> = {}): Promise<TextReply[]> =>
    send({
      action: consentAction(app, userKey, unsigned, { ...options, channel: defaults.channel ?? 'console' }),
    });
  return { send, press, subjectId: app.services.subjectIds.of(defaults.channel ?? 'console', user) };
}

export function textsOf(replies: readonly OutgoingMessage[]): TextReply[] {
  return replies.filter((reply): reply is TextReply => reply.kind === 'text');
}

export function actionIds(replies: readonly TextReply[]): string[] {
  return replies.flatMap((reply) => (reply.actions ?? []).map((action) => action.id));
}

/**
 * `const start = appPerTest();` at the top of a test file: `await start(env)` in a test starts the
 * real app like startTestApp (same arguments; `defaults` under each `env`), and after each test
 * every app it started is closed and its files deleted, whatever the test did.
 */
export function appPerTest(defaults: Record<string, string> = {}) {
  const started: TestApp[] = [];
  afterEach(async () => {
    for (const harness of started.splice(0).reverse()) await harness.db.drop();
  });
  return async (
    env: Record<string, string> = {},
    database?: TestDatabase,
    extras: TestAppExtras = {},
  ): Promise<TestApp> => {
    const harness = await startTestApp({ ...defaults, ...env }, database, extras);
    started.push(harness);
    return harness;
  };
}

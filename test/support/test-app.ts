import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import type { IncomingMessage, OutgoingMessage, TextReply } from '../../src/core/messages';
import { openTestDatabase } from './db';

export const TEST_PEPPER = 'test-pepper-test-pepper-test-pepper-0001';

export type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

/** The real app (engine, dialogs, mongoose stores) on a throw-away database of the run's mongod. */
export async function startTestApp(env: Record<string, string> = {}, database?: TestDatabase) {
  const db = database ?? (await openTestDatabase());
  const config = loadConfig({
    DATA_DIR: path.join(os.tmpdir(), 'privacy-bot-tests'),
    SUBJECT_ID_PEPPER: TEST_PEPPER,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app: App = await createApp({ config, logger: pino({ level: 'silent' }), connection: db.connection });
  return {
    app,
    db,
    config,
    chat: (user = 'ana', defaults: Partial<IncomingMessage> = {}) => chatAs(app, user, defaults),
  };
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

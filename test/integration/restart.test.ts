import { type TestDatabase, startTestApp } from '../support/test-app';

describe('restart', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('keeps consent and conversation state across a restart of the app on the same files', async () => {
    const first = await startTestApp();
    db = first.db;
    const ana = first.chat('ana');
    await ana.press('consent:age:100:adult:en');
    // The state a dialog leaves when it waits for the person's next message.
    const turnState = first.app.services.stores.conversations;
    const conversationId = first.app.services.subjectIds.conversation('console', 'ana');
    await turnState.save(
      ana.subjectId,
      conversationId,
      { activeDialog: { dialogId: 'help', step: 'x' } },
      new Date(Date.now() + 60_000),
    );

    // A new backend on the same data file and key file; the first is closed, as a stopped process's.
    const firstHandle = first.db.sqlite;
    const second = await startTestApp({}, first.db);
    expect(firstHandle.open).toBe(false);
    expect(second.db.sqlite).not.toBe(firstHandle);
    const [reply] = await second.chat('ana').send('/help');
    expect(reply?.text).toMatch(/privacy-first assistant/);
    expect((await second.app.services.stores.subjects.get(ana.subjectId))?.purposes.history).toBe(true);
    expect(await second.app.services.stores.conversations.load(ana.subjectId, conversationId)).toEqual({
      activeDialog: { dialogId: 'help', step: 'x' },
    });
  });
});

import type { TextReply } from '../../src/core/messages';
import { retentionText } from '../../dialogs/privacy/retention-text';
import { type ExportFile, exportFileSchema } from '../../src/privacy/rights/export-format';
import {
  ADULT_ACCEPTS_ALL,
  type TestDatabase,
  actionIds,
  dumpDatabase,
  leaksIn,
  startTestApp,
} from '../support/test-app';

/**
 * Issue 4: the data-subject rights through the engine, as a person uses them in chat, on a real
 * mongod: /export, /delete (button and typed word), /restrict and /restrict off with the TTL
 * clock, /object, /mydata, the export rate limit and /correct.
 */

type Harness = Awaited<ReturnType<typeof startTestApp>>;
type Person = ReturnType<Harness['chat']>;

/** Collections that keep pseudonymous evidence after an erasure, until their own TTL. */
const EVIDENCE = new Set(['consent_ledger', 'rights_requests']);
const PERSONAL = ['history', 'profiles', 'subjects', 'conversation_state', 'data_keys'];

let harness: Harness | undefined;

async function start(env: Record<string, string> = {}): Promise<Harness> {
  harness = await startTestApp(env);
  return harness;
}

afterEach(async () => {
  await harness?.db.drop();
  harness = undefined;
});

function collection(db: TestDatabase, name: string) {
  return db.connection.db!.collection(name);
}

function t(h: Harness, key: string, options: Record<string, unknown> = {}): string {
  return h.app.services.i18n.translator('en')(key, options);
}

/** The reply that confirms an erasure, naming how long the evidence stays. */
function erasedText(h: Harness): string {
  const translate = h.app.services.i18n.translator('en');
  return t(h, 'delete.done', { retention: retentionText(translate, h.config.retention.evidenceMs) });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends /export and returns the reply carrying the file, with the file parsed and validated. */
async function exportOf(person: Person): Promise<{ reply: TextReply; file: ExportFile }> {
  const replies = await person.send('/export');
  const reply = replies.find((candidate) => candidate.file);
  expect(reply?.file?.mime).toBe('application/json');
  expect(reply?.file?.name).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const file = exportFileSchema.parse(JSON.parse(reply!.file!.bytes.toString('utf8')));
  return { reply: reply!, file };
}

async function requestsOf(h: Harness, subjectId: string, type: string) {
  return collection(h.db, 'rights_requests').find({ subjectId, type }).toArray();
}

/** Consent to everything, keep a name and three messages. */
async function personWithData(h: Harness, user = 'ana-raw-id-123') {
  const person = h.chat(user);
  await person.send({ action: ADULT_ACCEPTS_ALL });
  await person.send('call me Sam Example');
  const messages = [
    'first message about the tulips in my garden',
    'remember that my locker code is 4711',
    'third message about the old lighthouse',
  ];
  for (const text of messages) await person.send(text);
  return { person, messages };
}

/** After an erasure: no document anywhere but the evidence ledgers mentions the person. */
async function expectErased(h: Harness, subjectId: string): Promise<void> {
  const dump = await dumpDatabase(h.db.connection);
  for (const name of PERSONAL) expect([...dump.collections.keys()]).toContain(name);
  for (const [name, docs] of dump.collections) {
    if (EVIDENCE.has(name)) continue;
    const mine = docs.filter((doc) => doc.subjectId === subjectId || doc._id === subjectId);
    expect({ name, count: mine.length }).toEqual({ name, count: 0 });
    // conversation_state ids start with the subject id; anything else mentioning it counts too.
    expect({ name, mentions: JSON.stringify(docs).includes(subjectId) }).toEqual({ name, mentions: false });
  }
  expect(await collection(h.db, 'consent_ledger').countDocuments({ subjectId })).toBeGreaterThan(0);
  const [erasure, ...more] = await requestsOf(h, subjectId, 'erasure');
  expect(more).toEqual([]);
  expect(erasure).toMatchObject({ status: 'completed', origin: 'console' });
  expect(erasure!.outcome).toMatch(/^key=shredded history=\d+ profile=1 /);
  expect(erasure!.completedAt).toBeInstanceOf(Date);
}

describe('data-subject rights through the chat (issue 4)', () => {
  it('/export sends a JSON file that matches the published schema and holds every message', async () => {
    const h = await start();
    const { person, messages } = await personWithData(h);

    const { reply, file } = await exportOf(person);
    const personLines = file.history.filter((line) => line.speaker === 'person').map((line) => line.text);
    expect(personLines).toEqual(['call me Sam Example', ...messages]);
    expect(reply.text).toBe(t(h, 'export.ready', { count: file.history.length }));
    expect(file.counts.history).toBe(file.history.length);
    expect(file.history.length).toBe(
      await collection(h.db, 'history').countDocuments({ subjectId: person.subjectId }),
    );
    expect(file.subject).toEqual({ pseudonymousId: person.subjectId, restricted: false });
    expect(file.consent?.purposes).toEqual({ history: true, personalization: true, analytics: true });
    expect(file.profile?.fields).toEqual({ preferredName: 'Sam Example' });
    expect(file.history.find((line) => line.text.startsWith('remember'))?.tag).toBe('note');
    expect(file.rightsRequests.some((request) => request.type === 'export')).toBe(true);

    const [exportRequest] = await requestsOf(h, person.subjectId, 'export');
    expect(exportRequest).toMatchObject({ status: 'completed' });
    expect(exportRequest!.outcome).toMatch(new RegExp(`^history=${file.history.length} bytes=\\d+$`));
  });

  it('/delete with the confirm button erases everything but the evidence ledgers', async () => {
    const h = await start();
    const { person } = await personWithData(h);

    const explain = await person.send('/delete');
    const confirm = actionIds(explain).find((id) => id.startsWith('delete:confirm:'));
    expect(confirm).toBeDefined();
    // Nothing is erased before the confirmation.
    expect(await collection(h.db, 'history').countDocuments({ subjectId: person.subjectId })).toBeGreaterThan(
      0,
    );

    const done = await person.send({ action: confirm! });
    expect(done.map((reply) => reply.text)).toEqual([erasedText(h)]);
    await expectErased(h, person.subjectId);

    const { file } = await exportOf(person);
    expect(file.history).toEqual([]);
    expect(file.profile).toBeNull();
    expect(file.consent).toBeNull();
    expect(file.consentLedger.length).toBeGreaterThan(0);
    // The later /export did not bring anything back.
    await expectErased(h, person.subjectId);
  });

  it('/delete confirmed by typing the confirmation word where there are no buttons', async () => {
    const h = await start();
    const { person } = await personWithData(h);

    const [explain] = await person.send('/delete');
    const word = t(h, 'delete.confirmWord');
    expect(explain?.text).toContain(word);
    const done = await person.send(word);
    expect(done.map((reply) => reply.text)).toEqual([erasedText(h)]);
    await expectErased(h, person.subjectId);
  });

  it('/restrict stops new history and pauses expiry; /restrict off resumes both where they stopped', async () => {
    const h = await start();
    const { person } = await personWithData(h);
    const history = collection(h.db, 'history');
    const mine = { subjectId: person.subjectId };

    // One entry about to expire: the restriction must save it from the TTL monitor.
    const target = await history.findOne({ ...mine, speaker: 'person' });
    await history.updateOne({ _id: target!._id }, { $set: { expiresAt: new Date(Date.now() + 2000) } });

    const [restricted] = await person.send('/restrict');
    expect(restricted?.text).toBe(t(h, 'restrict.done'));
    const count = await history.countDocuments(mine);
    expect(await history.countDocuments({ ...mine, expiresAt: null })).toBe(count);
    expect((await h.app.services.stores.subjects.get(person.subjectId))?.restricted).toBe(true);

    await person.send('a message while restricted about secret plans');
    expect(await history.countDocuments(mine)).toBe(count);

    // mongod's TTL monitor runs every second in tests: without the pause the entry would be gone.
    await sleep(4000);
    const paused = await history.findOne({ _id: target!._id });
    expect(paused).not.toBeNull();
    expect(paused!.expiresAt).toBeNull();
    const remaining = paused!.expiryRemainingMs as number;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(2000);

    const liftStarted = Date.now();
    const [lifted] = await person.send('/restrict off');
    const liftEnded = Date.now();
    expect(lifted?.text).toBe(t(h, 'restrict.lifted'));
    const resumed = await history.findOne({ _id: target!._id });
    expect(resumed?.expiresAt).toBeInstanceOf(Date);
    const resumedAt = (resumed!.expiresAt as Date).getTime();
    expect(resumedAt).toBeGreaterThanOrEqual(liftStarted + remaining);
    expect(resumedAt).toBeLessThanOrEqual(liftEnded + remaining);
    expect(resumed!.expiryRemainingMs).toBeUndefined();
    expect(await history.countDocuments({ ...mine, expiresAt: null })).toBe(0);

    // The clock runs again: the TTL monitor deletes it shortly.
    const deadline = Date.now() + 10_000;
    while ((await history.findOne({ _id: target!._id })) && Date.now() < deadline) await sleep(250);
    expect(await history.findOne({ _id: target!._id })).toBeNull();

    const before = await history.countDocuments(mine);
    await person.send('a message after the restriction about kites');
    expect(await history.countDocuments(mine)).toBeGreaterThan(before);
    const texts = (await h.app.services.stores.history.recent(person.subjectId, { limit: 100 })).map(
      (entry) => entry.text,
    );
    expect(texts).toContain('a message after the restriction about kites');
    expect(texts).not.toContain('a message while restricted about secret plans');

    const types = (await collection(h.db, 'rights_requests').find(mine).toArray()).map((r) => [
      r.type as string,
      r.status as string,
    ]);
    expect(types).toEqual(
      expect.arrayContaining([
        ['restriction', 'completed'],
        ['restriction-lifted', 'completed'],
      ]),
    );
  }, 45_000);

  it('/object personalization deletes the profile, withdraws that consent and records the objection', async () => {
    const h = await start();
    const { person } = await personWithData(h);
    const profiles = h.db.connection.db!.collection<{ _id: string }>('profiles');
    expect(await profiles.countDocuments({ _id: person.subjectId })).toBe(1);

    const [done] = await person.send('/object personalization');
    expect(done?.text).toBe(t(h, 'object.done', { purpose: t(h, 'purposes.personalization') }));

    expect(await collection(h.db, 'profiles').countDocuments()).toBe(0);
    expect(await h.app.services.stores.profiles.get(person.subjectId)).toBeNull();
    const withdrawn = await collection(h.db, 'consent_ledger')
      .find({ subjectId: person.subjectId, decision: 'withdrawn' })
      .toArray();
    expect(withdrawn.map((entry) => entry.purpose as string)).toEqual(['personalization']);
    const subject = await h.app.services.stores.subjects.get(person.subjectId);
    expect(subject?.purposes).toEqual({ history: true, personalization: false, analytics: true });
    const [objection] = await requestsOf(h, person.subjectId, 'objection');
    expect(objection).toMatchObject({ status: 'completed', outcome: 'purpose=personalization' });
    // History was not part of the objection.
    expect(await collection(h.db, 'history').countDocuments({ subjectId: person.subjectId })).toBeGreaterThan(
      0,
    );
  });

  it('/mydata lists the number of history messages and their dates, never their content', async () => {
    const h = await start();
    const { person, messages } = await personWithData(h);
    const docs = await collection(h.db, 'history')
      .find({ subjectId: person.subjectId })
      .sort({ at: 1 })
      .toArray();
    const date = (value: Date) =>
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(value);

    const profile = await h.app.services.stores.profiles.get(person.subjectId);

    const [summary] = await person.send('/mydata');
    expect(summary?.text).toContain(
      t(h, 'mydata.history', {
        count: docs.length,
        first: date(docs[0]!.at as Date),
        last: date(docs.at(-1)!.at as Date),
      }),
    );
    expect(summary?.text).toContain(t(h, 'mydata.profile', { count: 1, updated: date(profile!.updatedAt) }));
    expect(leaksIn(summary!.text, [...messages, 'Sam Example', '4711'])).toEqual([]);
    const [access] = await requestsOf(h, person.subjectId, 'access');
    expect(access).toMatchObject({ status: 'completed', outcome: `history=${docs.length} profile=1` });
  });

  it('limits exports per day: with EXPORT_RATE_LIMIT_PER_DAY=1 the second gets the limit message, no file', async () => {
    const h = await start({ EXPORT_RATE_LIMIT_PER_DAY: '1' });
    const { person } = await personWithData(h);
    await exportOf(person);

    const second = await person.send('/export');
    expect(second.some((reply) => reply.file)).toBe(false);
    expect(second.map((reply) => reply.text)).toEqual([t(h, 'export.limited', { count: 1 })]);
    expect(await requestsOf(h, person.subjectId, 'export')).toHaveLength(1);
  });

  it('/correct: tap the field, type the new value, the profile decrypts to it', async () => {
    const h = await start();
    const { person } = await personWithData(h);
    const field = t(h, 'correct.fields.preferredName');

    const [menu] = await person.send('/correct');
    expect(menu?.text).toContain('Sam Example');
    expect(actionIds([menu!])).toContain('correct:field:preferredName');
    const [ask] = await person.send({ action: 'correct:field:preferredName' });
    expect(ask?.text).toBe(t(h, 'correct.askValue', { field }));
    const [saved] = await person.send('Alex Newname');
    expect(saved?.text).toBe(t(h, 'correct.saved', { field, value: 'Alex Newname' }));

    const profile = await h.app.services.stores.profiles.get(person.subjectId);
    expect(profile?.fields.preferredName).toBe('Alex Newname');
    const [rectification] = await requestsOf(h, person.subjectId, 'rectification');
    expect(rectification).toMatchObject({ status: 'completed', outcome: 'field=preferredName' });
    // Stored encrypted, like everything personal; and the dialog is over.
    const dump = await dumpDatabase(h.db.connection);
    expect(leaksIn(dump.text, ['Alex Newname', 'Sam Example'])).toEqual([]);
    expect(await collection(h.db, 'conversation_state').countDocuments()).toBe(0);
  });
});

import { consentLedgerModel } from '../../src/storage/mongo/models/consent-ledger';
import { subjectModel } from '../../src/storage/mongo/models/subject';
import { ADULT_ACCEPTS_ALL, actionIds, startTestApp, type TestDatabase } from '../support/test-app';

describe('consent onboarding on a real mongod', () => {
  let db: TestDatabase;
  let harness: Awaited<ReturnType<typeof startTestApp>>;

  beforeEach(async () => {
    harness = await startTestApp();
    db = harness.db;
  });
  afterEach(async () => db.drop());

  it('greets a new person with the notice and choices, storing nothing before a decision', async () => {
    const ana = harness.chat('ana');
    const [notice] = await ana.send('hello');
    expect(notice?.text).toMatch(/Conversation history/);
    expect(notice?.text).toMatch(/30 days/);
    expect(actionIds([notice!])).toEqual(['consent:all:en', 'consent:custom:000:en', 'consent:none:en']);
    for (const name of await db.connection
      .db!.listCollections()
      .map((c) => c.name)
      .toArray()) {
      expect(await db.connection.db!.collection(name).countDocuments()).toBe(0);
    }
  });

  it('records accept-all as one ledger entry per purpose and confirms', async () => {
    const ana = harness.chat('ana');
    await ana.send('hello');
    const [ageQuestion] = await ana.send({ action: ADULT_ACCEPTS_ALL });
    // A neutral age screen first: equal buttons, no default, and nothing stored until answered.
    expect(ageQuestion?.text).toMatch(/how old are you/);
    expect(actionIds([ageQuestion!])).toEqual([
      'consent:age:111:under13:en',
      'consent:age:111:teen:en',
      'consent:age:111:adult:en',
    ]);
    expect(ageQuestion?.actions?.map((action) => action.label)).toEqual([
      'Under 13',
      '13 to 15',
      '16 or older',
    ]);
    expect(await consentLedgerModel(db.connection).countDocuments()).toBe(0);
    const [confirmation] = await ana.send({ action: 'consent:age:111:adult:en' });
    expect(confirmation?.text).toMatch(/You allowed: Conversation history, Personalisation, Analytics/);

    const entries = await consentLedgerModel(db.connection).find({ subjectId: ana.subjectId }).lean();
    expect(entries).toHaveLength(3);
    expect(entries.map((entry) => [entry.purpose, entry.decision])).toEqual([
      ['history', 'granted'],
      ['personalization', 'granted'],
      ['analytics', 'granted'],
    ]);
    expect(entries[0]).toMatchObject({ policyVersion: '2026-11-01', locale: 'en', channel: 'console' });
    expect(entries[0]!.noticeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    // No raw platform id anywhere: the subject id is an HMAC.
    expect(JSON.stringify(entries)).not.toContain('"ana"');
  });

  it('lets people choose per purpose without storing the in-between toggles', async () => {
    const ana = harness.chat('ana');
    await ana.send('hello');
    const [chooser] = await ana.send({ action: 'consent:custom:000:en' });
    expect(actionIds([chooser!])).toContain('consent:custom:100:en');
    await ana.send({ action: 'consent:custom:100:en' });
    expect(await consentLedgerModel(db.connection).countDocuments()).toBe(0);
    const [ageQuestion] = await ana.send({ action: 'consent:save:100:en' });
    expect(actionIds([ageQuestion!])).toContain('consent:age:100:adult:en');
    expect(await consentLedgerModel(db.connection).countDocuments()).toBe(0);
    await ana.send({ action: 'consent:age:100:adult:en' });
    const subject = await subjectModel(db.connection).findById(ana.subjectId).lean();
    expect(subject?.purposes).toEqual({ history: true, personalization: false, analytics: false });
  });

  it('gives a working bot after declining, and /stop withdraws every consent in one step', async () => {
    const ana = harness.chat('ana');
    await ana.send({ action: ADULT_ACCEPTS_ALL });
    const [stopped] = await ana.send('/stop');
    expect(stopped?.text).toMatch(/withdrew every consent/);
    const withdrawn = await consentLedgerModel(db.connection).find({ decision: 'withdrawn' }).lean();
    expect(withdrawn.map((entry) => entry.purpose).sort()).toEqual([
      'analytics',
      'history',
      'personalization',
    ]);

    const [help] = await ana.send('/help');
    expect(help?.text).toMatch(/privacy-first assistant/);

    const bea = harness.chat('bea');
    await bea.send({ action: 'consent:none:en' });
    const [answer] = await bea.send('what is this?');
    expect(answer?.text).toMatch(/\/help/);
    expect(
      (await consentLedgerModel(db.connection).find({ subjectId: bea.subjectId }).lean()).map(
        (e) => e.decision,
      ),
    ).toEqual(['denied', 'denied', 'denied']);
  });

  it('understands "opt out" and "abmelden" as /stop', async () => {
    const ana = harness.chat('ana');
    await ana.send({ action: ADULT_ACCEPTS_ALL });
    const [reply] = await ana.send('Opt out!');
    expect(reply?.text).toMatch(/withdrew every consent/);
    const [german] = await harness.chat('carl', { localeHint: 'de-DE' }).send('abmelden');
    expect(german?.text).toMatch(/widerrufen/i);
  });

  it('keeps nothing from a person below the consent age, and a later tap cannot undo the answer', async () => {
    const kid = harness.chat('kid');
    await kid.send({ action: 'consent:all:en' });
    const [answer] = await kid.send({ action: 'consent:age:111:under13:en' });
    expect(answer?.text).toMatch(/I will not store anything about you/);
    const subject = await subjectModel(db.connection).findById(kid.subjectId).lean();
    expect(subject?.purposes).toEqual({ history: false, personalization: false, analytics: false });
    expect(subject?.underAge).toBe(true);
    // Only the outcome is kept, never the age or the band.
    expect(JSON.stringify(subject)).not.toMatch(/under13|"age"/);
    const ledger = await consentLedgerModel(db.connection).find({ subjectId: kid.subjectId }).lean();
    expect(ledger.map((entry) => entry.decision)).toEqual(['denied', 'denied', 'denied']);

    const [stale] = await kid.send({ action: 'consent:age:111:adult:en' });
    expect(stale?.text).toMatch(/too young/);
    const [again] = await kid.send({ action: 'consent:save:100:en' });
    expect(again?.text).toMatch(/too young/);
    expect((await subjectModel(db.connection).findById(kid.subjectId).lean())?.purposes.history).toBe(false);

    await kid.send('remember that my school is Oak Street');
    expect(await db.connection.db!.collection('history').countDocuments()).toBe(0);
    const [help] = await kid.send('/help');
    expect(help?.text).toMatch(/privacy-first assistant/);
  });

  it('offers two age bands where CONSENT_MIN_AGE is 13, and asks only when something is granted', async () => {
    const custom = await startTestApp({ CONSENT_MIN_AGE: '13' }, db);
    const teen = custom.chat('teen');
    const [ageQuestion] = await teen.send({ action: 'consent:all:en' });
    expect(ageQuestion?.actions?.map((action) => action.label)).toEqual(['Under 13', '13 or older']);
    const [confirmation] = await teen.send({ action: 'consent:age:111:adult:en' });
    expect(confirmation?.text).toMatch(/You allowed/);
    // Declining needs no age: nothing is stored either way.
    const [declined] = await custom.chat('dan').send({ action: 'consent:none:en' });
    expect(declined?.text).toMatch(/will not store anything/);
  });

  it('answers /privacy with the data map, retention from configuration and the contact', async () => {
    const custom = await startTestApp(
      { RETENTION_HISTORY_DAYS: '7', PRIVACY_CONTACT: 'dpo@example.test' },
      db,
    );
    const [notice] = await custom.chat('ana').send('/privacy');
    expect(notice?.text).toMatch(
      /Conversation history \(only with your consent\): to recall what you told me\. Kept 7 days/,
    );
    expect(notice?.text).toMatch(/dpo@example\.test/);
    expect(notice?.text).toMatch(/\/delete/);
  });

  it('speaks German when the platform hints German', async () => {
    const [notice] = await harness.chat('dora', { localeHint: 'de' }).send('hallo');
    expect(notice?.text).toMatch(/Gesprächsverlauf/);
    expect(notice?.actions?.[0]?.label).toBe('Alles erlauben');
  });

  it('asks again when POLICY_VERSION changes, before storing anything new', async () => {
    await harness.chat('ana').send({ action: ADULT_ACCEPTS_ALL });
    const next = await startTestApp({ POLICY_VERSION: '2027-01-01' }, db);
    const [notice] = await next.chat('ana').send('hello again');
    expect(notice?.text).toMatch(/privacy policy has changed/);
    expect(notice?.text).toMatch(/2027-01-01/);
  });

  it('keeps the language a person chose', async () => {
    const ana = harness.chat('ana');
    await ana.send({ action: 'consent:none:en' });
    const [saved] = await ana.send('/language es');
    expect(saved?.text).toMatch(/español/);
    const [help] = await ana.send('/help');
    expect(help?.text).toMatch(/Comandos|comandos/);
  });

  it('in a group, points undecided people to a private chat and stores nothing', async () => {
    const group = harness.chat('erin', { isPrivateChat: false, conversationKey: 'group-1' });
    const [reply] = await group.send('hello everyone');
    expect(reply?.text).toMatch(/private chat/);
    expect(reply?.privateToSpeaker).toBe(true);
    expect(await subjectModel(db.connection).countDocuments()).toBe(0);
    expect(await consentLedgerModel(db.connection).countDocuments()).toBe(0);
  });
});

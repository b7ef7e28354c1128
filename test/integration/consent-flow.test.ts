import { consentAction } from '../support/consent-buttons';
import { expectDatabaseEmpty } from '../support/engine-db-checks';
import { talk } from '../support/talk';
import { ADULT_ACCEPTS_ALL, actionIds, startTestApp, type TestDatabase } from '../support/test-app';

interface LedgerRow {
  subject_id: string;
  purpose: string;
  decision: string;
  policy_version: string;
  notice_hash: string;
  locale: string;
  channel: string;
  at: number;
  expires_at: number;
}

interface SubjectRow {
  subject_id: string;
  purposes: string;
  locale: string | null;
  under_age: number;
}

/** The consent ledger as stored, in append order; all of it, or one person's, or one decision's. */
function ledger(db: TestDatabase, where: { subjectId?: string; decision?: string } = {}): LedgerRow[] {
  return db.sqlite
    .prepare(
      `SELECT * FROM consent_ledger
       WHERE (@subjectId IS NULL OR subject_id = @subjectId) AND (@decision IS NULL OR decision = @decision)
       ORDER BY seq`,
    )
    .all({ subjectId: where.subjectId ?? null, decision: where.decision ?? null }) as LedgerRow[];
}

function subjectRow(db: TestDatabase, subjectId: string): SubjectRow | undefined {
  return db.sqlite.prepare('SELECT * FROM subjects WHERE subject_id = ?').get(subjectId) as
    SubjectRow | undefined;
}

function purposesOf(db: TestDatabase, subjectId: string): unknown {
  const row = subjectRow(db, subjectId);
  return row && (JSON.parse(row.purposes) as unknown);
}

function count(db: TestDatabase, table: string): number {
  return (db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('consent onboarding on the default backend (SQLite files)', () => {
  let db: TestDatabase;
  let harness: Awaited<ReturnType<typeof startTestApp>>;

  beforeEach(async () => {
    harness = await startTestApp();
    db = harness.db;
  });
  /** A consent button as the bot issues it to `user` under the notice (dialogs/consent/buttons.ts). */
  const issued = (user: string, ...unsigned: string[]) =>
    unsigned.map((id) => consentAction(harness.app, user, id));
  afterEach(async () => db.drop());

  it('greets a new person with the notice and choices, storing nothing before a decision', async () => {
    const ana = harness.chat('ana');
    const [notice] = await ana.send('hello');
    expect(notice?.text).toMatch(/Conversation history/);
    expect(notice?.text).toMatch(/30 days/);
    expect(actionIds([notice!])).toEqual(
      issued('ana', 'consent:all:en', 'consent:custom:000:en', 'consent:none:en'),
    );
    await expectDatabaseEmpty(db);
  });

  it('records accept-all as one ledger entry per purpose and confirms', async () => {
    const ana = harness.chat('ana');
    await ana.send('hello');
    // "Accept all" on the notice: ADULT_ACCEPTS_ALL would already be the answer to the age screen.
    const [ageQuestion] = await ana.press('consent:all:en');
    // A neutral age screen first: equal buttons, no default, and nothing stored until answered.
    expect(ageQuestion?.text).toMatch(/how old are you/);
    expect(actionIds([ageQuestion!])).toEqual(
      issued('ana', 'consent:age:111:under13:en', 'consent:age:111:teen:en', 'consent:age:111:adult:en'),
    );
    expect(ageQuestion?.actions?.map((action) => action.label)).toEqual([
      'Under 13',
      '13 to 15',
      '16 or older',
    ]);
    await expectDatabaseEmpty(db);
    const [confirmation] = await ana.press(ADULT_ACCEPTS_ALL);
    expect(confirmation?.text).toMatch(/You allowed: Conversation history, Personalisation, Analytics/);

    const entries = ledger(db, { subjectId: ana.subjectId });
    expect(entries).toHaveLength(3);
    expect(entries.map((entry) => [entry.purpose, entry.decision])).toEqual([
      ['history', 'granted'],
      ['personalization', 'granted'],
      ['analytics', 'granted'],
    ]);
    expect(entries[0]).toMatchObject({ policy_version: '2026-11-01', locale: 'en', channel: 'console' });
    expect(entries[0]!.notice_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]!.expires_at).toBeGreaterThan(Date.now());
    // One decision, one time and one notice for all three purposes.
    expect(new Set(entries.map((entry) => `${entry.at} ${entry.notice_hash}`)).size).toBe(1);
    // No raw platform id anywhere: the subject id is an HMAC.
    expect(JSON.stringify(entries)).not.toContain('"ana"');
  });

  it('lets people choose per purpose without storing the in-between toggles', async () => {
    const ana = harness.chat('ana');
    await ana.send('hello');
    const [chooser] = await ana.press('consent:custom:000:en');
    expect(actionIds([chooser!])).toContain(issued('ana', 'consent:custom:100:en')[0]);
    await ana.press('consent:custom:100:en');
    await expectDatabaseEmpty(db);
    const [ageQuestion] = await ana.press('consent:save:100:en');
    expect(actionIds([ageQuestion!])).toContain(issued('ana', 'consent:age:100:adult:en')[0]);
    await expectDatabaseEmpty(db);
    await ana.press('consent:age:100:adult:en');
    expect(purposesOf(db, ana.subjectId)).toEqual({
      history: true,
      personalization: false,
      analytics: false,
    });
    expect(ledger(db, { subjectId: ana.subjectId }).map((entry) => [entry.purpose, entry.decision])).toEqual([
      ['history', 'granted'],
      ['personalization', 'denied'],
      ['analytics', 'denied'],
    ]);
  });

  it('gives a working bot after declining, and /stop withdraws every consent in one step', async () => {
    const ana = harness.chat('ana');
    await ana.press(ADULT_ACCEPTS_ALL);
    const [stopped] = await ana.send('/stop');
    expect(stopped?.text).toMatch(/withdrew every consent/);
    const withdrawn = ledger(db, { decision: 'withdrawn' });
    expect(withdrawn.every((entry) => entry.subject_id === ana.subjectId)).toBe(true);
    expect(purposesOf(db, ana.subjectId)).toEqual({
      history: false,
      personalization: false,
      analytics: false,
    });
    expect(withdrawn.map((entry) => entry.purpose).sort()).toEqual([
      'analytics',
      'history',
      'personalization',
    ]);

    const [help] = await ana.send('/help');
    expect(help?.text).toMatch(/privacy-first assistant/);

    const bea = harness.chat('bea');
    await bea.press('consent:none:en');
    const [answer] = await bea.send('what is this?');
    expect(answer?.text).toMatch(/\/help/);
    expect(ledger(db, { subjectId: bea.subjectId }).map((entry) => entry.decision)).toEqual([
      'denied',
      'denied',
      'denied',
    ]);
  });

  it('understands "opt out" and "abmelden" as /stop, after a confirmation with buttons', async () => {
    const ana = talk(harness.app, 'ana')
      .send('hello')
      .press('Accept all')
      .press('16 or older')
      .send('Opt out!')
      .expectText(/^Withdraw every consent\?/)
      .expectButtons('Yes, withdraw everything', /^No/);
    await ana;
    expect(ledger(db, { decision: 'withdrawn' })).toEqual([]);
    await ana.press('Yes, withdraw everything').expectText(/withdrew every consent/);
    const subjectId = harness.app.services.subjectIds.of('console', 'ana');
    expect(purposesOf(db, subjectId)).toEqual({ history: false, personalization: false, analytics: false });

    await talk(harness.app, 'carl', { localeHint: 'de-DE' })
      .send('abmelden')
      .expectText(/widerrufen\?/i)
      .expectReplies((replies) =>
        expect(actionIds(replies)).toEqual([expect.stringMatching(/^stop:confirm:/), 'stop:cancel']),
      )
      .press(/^Ja/)
      .expectText(/Alle deine Einwilligungen sind widerrufen/);
  });

  it('keeps nothing from a person below the consent age, and a later tap cannot undo the answer', async () => {
    const kid = harness.chat('kid');
    await kid.press('consent:all:en');
    const [answer] = await kid.press('consent:age:111:under13:en');
    expect(answer?.text).toMatch(/I keep nothing you tell me/);
    expect(answer?.text).toMatch(/I delete it after 30 days/);
    const subject = subjectRow(db, kid.subjectId);
    expect(purposesOf(db, kid.subjectId)).toEqual({
      history: false,
      personalization: false,
      analytics: false,
    });
    expect(subject?.under_age).toBe(1);
    // Only the outcome is kept, never the age or the band; and no ledger entries (issue 16, item 2,
    // in full in children.test.ts).
    expect(JSON.stringify(subject)).not.toMatch(/under13|teen|"age"/);
    expect(ledger(db, { subjectId: kid.subjectId })).toEqual([]);

    const [stale] = await kid.press('consent:age:111:adult:en');
    expect(stale?.text).toMatch(/too young/);
    const [again] = await kid.press('consent:save:100:en');
    expect(again?.text).toMatch(/too young/);
    expect(purposesOf(db, kid.subjectId)).toMatchObject({ history: false });
    expect(ledger(db, { subjectId: kid.subjectId })).toHaveLength(0);

    await kid.send('remember that my school is Oak Street');
    expect(count(db, 'history')).toBe(0);
    expect(count(db, 'profiles')).toBe(0);
    const [help] = await kid.send('/help');
    expect(help?.text).toMatch(/privacy-first assistant/);
  });

  it('offers two age bands where CONSENT_MIN_AGE is 13, and asks only when something is granted', async () => {
    const custom = await startTestApp({ CONSENT_MIN_AGE: '13' }, db);
    const teen = custom.chat('teen');
    const [ageQuestion] = await teen.press('consent:all:en');
    expect(ageQuestion?.actions?.map((action) => action.label)).toEqual(['Under 13', '13 or older']);
    const [confirmation] = await teen.press('consent:age:111:adult:en');
    expect(confirmation?.text).toMatch(/You allowed/);
    // Declining needs no age: nothing of the conversation is stored, only the decision itself.
    const [declined] = await custom.chat('dan').press('consent:none:en');
    expect(declined?.text).toMatch(/I will not keep our conversation or your name/);
    expect(declined?.text).toMatch(/What I do keep is your decision and your language/);
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
    await harness.chat('ana').press(ADULT_ACCEPTS_ALL);
    const historyBefore = count(db, 'history');
    const next = await startTestApp({ POLICY_VERSION: '2027-01-01' }, db);
    const [notice] = await next.chat('ana').send('hello again');
    expect(notice?.text).toMatch(/privacy policy has changed/);
    expect(notice?.text).toMatch(/2027-01-01/);
    // Neither the message nor the notice was kept under the old consent.
    expect(count(db, 'history')).toBe(historyBefore);
    expect(ledger(db).map((entry) => entry.policy_version)).toEqual(Array(3).fill('2026-11-01'));
  });

  it('keeps the language a person chose', async () => {
    await talk(harness.app, 'ana')
      .send('hello')
      .press('No thanks')
      .send('/language es')
      .expectText(/español/)
      .send('/help')
      .expectText(/Comandos|comandos/);
    expect(subjectRow(db, harness.app.services.subjectIds.of('console', 'ana'))).toMatchObject({
      locale: 'es',
    });
  });

  it('in a group, points undecided people to a private chat and stores nothing', async () => {
    const group = harness.chat('erin', { isPrivateChat: false, conversationKey: 'group-1' });
    const [reply] = await group.send('hello everyone');
    expect(reply?.text).toMatch(/private chat/);
    expect(reply?.privateToSpeaker).toBe(true);
    await expectDatabaseEmpty(db);
  });
});

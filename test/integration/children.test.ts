import { retentionText } from '../../dialogs/privacy/retention-text';
import type { Locale } from '../../src/i18n/locales';
import { consentAction } from '../support/consent-buttons';
import { documentCounts } from '../support/engine-db-checks';
import { talk } from '../support/talk';
import { actionIds, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 16, item 2 (GDPR Art. 8, COPPA): below CONSENT_MIN_AGE the bot keeps only what it needs not
 * to ask again (one consent-state row with `underAge`, no purpose, no ledger entry, no language, no
 * age) for RETENTION_UNDER_AGE_DAYS, and says exactly that, in every language.
 */

const DAY_MS = 86_400_000;
const ANSWERED_AT = new Date('2027-03-10T09:15:00Z');

interface SubjectRow {
  subject_id: string;
  policy_version: string;
  purposes: string;
  decided_at: number;
  locale: string | null;
  restricted: number;
  under_age: number;
  expires_at: number | null;
  expiry_remaining_ms: number | null;
}

let harness: TestApp;
let now: Date;

async function start(env: Record<string, string> = {}, previous?: TestApp): Promise<TestApp> {
  harness = await startTestApp(env, previous?.db, { clock: () => now });
  return harness;
}

beforeEach(() => {
  now = ANSWERED_AT;
});
afterEach(async () => harness.db.drop());

/** Every table of both files: one subjects row for `subjectId`, nothing anywhere else. */
async function expectOnlyTheFlag(h: TestApp): Promise<void> {
  const counts = await documentCounts(h.db);
  expect(counts).toEqual(
    Object.fromEntries(Object.keys(counts).map((table) => [table, table === 'subjects' ? 1 : 0])),
  );
}

function subjectRows(h: TestApp): SubjectRow[] {
  return h.db.sqlite.prepare('SELECT * FROM subjects').all() as SubjectRow[];
}

/**
 * A child's onboarding by pressing what the bot shows: the notice, "Accept all", "Under 13". Returns
 * the answer, and `child` to go on with buttons of earlier turns, which talk() cannot press.
 */
async function answerUnder13(h: TestApp, user: string, locale: Locale = 'en') {
  const t = h.app.services.i18n.translator(locale);
  const [answer] = await talk(h.app, user, { localeHint: locale })
    .send('hello')
    .press(t('consent.acceptAll'))
    .expectReplies((replies) =>
      expect(actionIds(replies)[0]).toBe(consentAction(h.app, user, `consent:age:111:under13:${locale}`)),
    )
    .press(t('consent.ageUnder13', { age: 13 }));
  return { child: h.chat(user, { localeHint: locale }), answer: answer!.text };
}

describe('someone below the consent age', () => {
  it('keeps exactly one row, the flag, with no age, language or ledger entry, for 30 days, and says so', async () => {
    const h = await start();
    const { child, answer } = await answerUnder13(h, 'kid');

    // What the person is told is what is kept, and for how long.
    const t = h.app.services.i18n.translator('en');
    expect(answer).toBe(t('consent.ageTooYoung', { retention: '30 days' }));
    expect(answer).toMatch(/I keep nothing you tell me: no messages, no name, not even your age/);
    expect(answer).toMatch(/All I keep is a note that you answered this question, under a code/);
    expect(answer).toMatch(/I delete it after 30 days/);

    // Rows per table: only the subjects row.
    await expectOnlyTheFlag(h);
    const [row] = subjectRows(h);
    expect(row).toEqual({
      subject_id: child.subjectId,
      policy_version: h.config.privacy.policyVersion,
      purposes: JSON.stringify({ history: false, personalization: false, analytics: false }),
      decided_at: ANSWERED_AT.getTime(),
      locale: null,
      restricted: 0,
      under_age: 1,
      expires_at: ANSWERED_AT.getTime() + 30 * DAY_MS,
      expiry_remaining_ms: null,
    });
    // Not the age, not the band, not the platform id.
    expect(JSON.stringify(row)).not.toMatch(/under13|teen|kid|"age"/);
  });

  it('stores nothing more for what the child says or taps, and the flag does not move', async () => {
    const h = await start();
    const { child } = await answerUnder13(h, 'kid');
    const [before] = subjectRows(h);

    now = new Date(ANSWERED_AT.getTime() + 5 * DAY_MS);
    // A second tap on an older band, a grant, a refusal, /stop and chatter: nothing changes.
    const [older] = await child.press('consent:age:111:adult:en');
    expect(older?.text).toBe(
      h.app.services.i18n.translator('en')('consent.ageRefused', { retention: '30 days' }),
    );
    expect(older?.text).toMatch(/I delete it 30 days after your answer/);
    expect((await child.press('consent:save:100:en'))[0]?.text).toBe(older?.text);
    expect((await child.press('consent:none:en'))[0]?.text).toBe(older?.text);
    await child.send('/stop');
    await child.send('remember that my school is Oak Street');
    await child.send('call me Sam');
    const [help] = await child.send('/help');
    expect(help?.text).toMatch(/privacy-first assistant/);

    await expectOnlyTheFlag(h);
    expect(subjectRows(h)).toEqual([before]);
  });

  it('forgets the flag after RETENTION_UNDER_AGE_DAYS, and then asks like anyone new', async () => {
    const h = await start({ RETENTION_UNDER_AGE_DAYS: '7' });
    const { child, answer } = await answerUnder13(h, 'kid');
    expect(answer).toMatch(/I delete it after 7 days/);
    expect(subjectRows(h)[0]?.expires_at).toBe(ANSWERED_AT.getTime() + 7 * DAY_MS);

    now = new Date(ANSWERED_AT.getTime() + 7 * DAY_MS);
    expect((await h.db.backend.sweepExpired(now)).subjects).toBe(1);
    const counts = await documentCounts(h.db);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    const [notice] = await child.send('hello again');
    expect(actionIds([notice!])[0]).toBe(consentAction(h.app, 'kid', 'consent:all:en'));
  });

  it.each([
    ['de', '30 Tage', /Diesen Vermerk bewahre ich 30 Tage lang auf, dann lösche ich ihn/],
    ['es', '30 días', /la borro al cabo de 30 días/],
    ['fr', '30 jours', /Je la supprime au bout de 30 jours/],
  ] as const)('says what is kept and for how long in %s', async (locale, retention, sentence) => {
    const h = await start();
    const { answer } = await answerUnder13(h, `kid-${locale}`, locale);
    const t = h.app.services.i18n.translator(locale);
    expect(retentionText(t, h.config.retention.underAgeMs)).toBe(retention);
    expect(answer).toBe(t('consent.ageTooYoung', { retention }));
    expect(answer).toMatch(sentence);
    await expectOnlyTheFlag(h);
  });

  it('after "16 or older" then "under 13" on the same screen, withdraws, deletes and keeps only the flag and that evidence', async () => {
    const h = await start();
    const child = h.chat('kid');
    const [ageQuestion] = await child.press('consent:all:en');
    const [under13, , adult] = ageQuestion!.actions!;
    await child.send({ action: adult!.id });
    await child.send('remember that my school is Oak Street');
    expect((await documentCounts(h.db)).history).toBeGreaterThan(0);

    now = new Date(ANSWERED_AT.getTime() + 60_000);
    await child.send({ action: under13!.id });
    const counts = await documentCounts(h.db);
    expect(counts).toMatchObject({ subjects: 1, history: 0, profiles: 0, conversation_state: 0 });
    // The grants it ends are in the ledger already: their withdrawal is recorded with them.
    const ledger = h.db.sqlite
      .prepare('SELECT decision, expires_at FROM consent_ledger ORDER BY seq')
      .all() as { decision: string; expires_at: number }[];
    expect(ledger.map((entry) => entry.decision)).toEqual([
      ...Array(3).fill('granted'),
      ...Array(3).fill('withdrawn'),
    ]);
    expect(subjectRows(h)[0]).toMatchObject({
      under_age: 1,
      expires_at: now.getTime() + 30 * DAY_MS,
    });
  });

  it('is asked again, with the flag renewed, only under a new policy version', async () => {
    const h = await start();
    const { child } = await answerUnder13(h, 'kid');
    now = new Date(ANSWERED_AT.getTime() + 10 * DAY_MS);
    const next = await start({ POLICY_VERSION: '2027-06-01' }, h);
    // Declining the new notice is an answer under the new policy: the flag stays and is renewed.
    await talk(next.app, 'kid')
      .send('hello')
      .expectText(/privacy policy has changed/)
      .press(next.app.services.i18n.translator('en')('consent.decline'))
      .expectText(/too young/);
    expect(subjectRows(next)).toEqual([
      expect.objectContaining({
        subject_id: child.subjectId,
        policy_version: '2027-06-01',
        under_age: 1,
        expires_at: now.getTime() + 30 * DAY_MS,
      }),
    ]);
    await expectOnlyTheFlag(next);
  });
});

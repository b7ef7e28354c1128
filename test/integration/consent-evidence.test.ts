import { createHash } from 'node:crypto';
import { TELEGRAM_CALLBACK_DATA_MAX_BYTES } from '../../adapters/button-ids';
import { consentAction } from '../support/consent-buttons';
import { expectDatabaseEmpty } from '../support/engine-db-checks';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 16, item 6: the consent ledger's hash covers the exact text the person saw (the "policy
 * changed" preface included), and consent and age buttons the bot did not issue to this person for
 * that text grant nothing and store nothing.
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

let harness: TestApp;

beforeEach(async () => {
  harness = await startTestApp();
});
afterEach(async () => harness.db.drop());

function ledgerOf(h: TestApp, subjectId: string) {
  return h.db.sqlite
    .prepare(
      'SELECT purpose, decision, policy_version, notice_hash, locale FROM consent_ledger WHERE subject_id = ? ORDER BY seq',
    )
    .all(subjectId) as {
    purpose: string;
    decision: string;
    policy_version: string;
    notice_hash: string;
    locale: string;
  }[];
}

describe('buttons the bot did not issue', () => {
  it('a crafted consent:age:111:adult:en from someone never shown the notice grants nothing and stores nothing', async () => {
    const mallory = harness.chat('mallory');
    const replies = await mallory.send({ action: 'consent:age:111:adult:en' });
    const t = harness.app.services.i18n.translator('en');
    expect(replies.map((reply) => reply.text)).toEqual([t('input.unknownAction')]);
    await expectDatabaseEmpty(harness.db);
    // Not a grant either: the next message gets the notice, like anyone new.
    const [notice] = await mallory.send('remember that I was here');
    expect(notice?.text).toMatch(/Before we chat/);
    await expectDatabaseEmpty(harness.db);
  });

  it.each([
    ['issued to someone else', () => consentAction(harness.app, 'bea', 'consent:age:111:adult:en')],
    [
      'issued on another channel',
      () => consentAction(harness.app, 'mallory', 'consent:age:111:adult:en', { channel: 'telegram' }),
    ],
    [
      'with its choices changed',
      () => consentAction(harness.app, 'mallory', 'consent:age:100:adult:en').replace(':100:', ':111:'),
    ],
    [
      'with its age band changed',
      () =>
        consentAction(harness.app, 'mallory', 'consent:age:111:under13:en').replace(':under13:', ':adult:'),
    ],
    [
      'with its language changed',
      () => consentAction(harness.app, 'mallory', 'consent:all:en').replace(':en:', ':de:'),
    ],
    [
      'naming another message than it was issued under',
      () => consentAction(harness.app, 'mallory', 'consent:all:en').replace(':n:', ':u:'),
    ],
    ['with its tag cut short', () => consentAction(harness.app, 'mallory', 'consent:none:en').slice(0, -1)],
    ['of the old unsigned form', () => 'consent:all:en'],
  ])('refuses a consent button %s, and stores nothing', async (_label, forge) => {
    const replies = await harness.chat('mallory').send({ action: forge() });
    expect(replies.map((reply) => reply.text)).toEqual([
      harness.app.services.i18n.translator('en')('input.unknownAction'),
    ]);
    await expectDatabaseEmpty(harness.db);
  });

  it('refuses a button issued under an earlier policy version: that notice is not the one in force', async () => {
    const [notice] = await harness.chat('ana').send('hello');
    const oldAcceptAll = notice!.actions![0]!.id;
    const next = await startTestApp({ POLICY_VERSION: '2027-01-01' }, harness.db);
    const replies = await next.chat('ana').send({ action: oldAcceptAll });
    expect(replies.map((reply) => reply.text)).toEqual([
      next.app.services.i18n.translator('en')('input.unknownAction'),
    ]);
    await expectDatabaseEmpty(next.db);
  });

  it('issues ids that fit Telegram callback_data (64 bytes) in every language', () => {
    for (const locale of ['en', 'de', 'es', 'fr'])
      for (const unsigned of [`consent:age:111:under13:${locale}`, `consent:custom:111:${locale}`]) {
        const id = consentAction(harness.app, 'ana', unsigned, { variant: 'u' });
        expect(Buffer.byteLength(id)).toBeLessThanOrEqual(TELEGRAM_CALLBACK_DATA_MAX_BYTES);
      }
  });
});

describe('the ledger hash is the hash of the exact text shown', () => {
  it('for a new person: the notice as sent', async () => {
    const ana = harness.chat('ana', { localeHint: 'fr' });
    const [notice] = await ana.send('bonjour');
    const [ageQuestion] = await ana.send({ action: notice!.actions![0]!.id });
    await ana.send({ action: ageQuestion!.actions!.at(-1)!.id });
    const entries = ledgerOf(harness, ana.subjectId);
    expect(entries).toHaveLength(3);
    expect(new Set(entries.map((entry) => entry.notice_hash))).toEqual(new Set([sha256(notice!.text)]));
    expect(entries[0]).toMatchObject({ decision: 'granted', locale: 'fr' });
  });

  it('after a policy change: the notice with the "policy changed" preface, as sent', async () => {
    const ana = harness.chat('ana');
    const [first] = await ana.send('hello');
    await ana.send({ action: first!.actions![2]!.id }); // "No thanks" under the first policy
    expect(ledgerOf(harness, ana.subjectId).map((entry) => entry.notice_hash)).toEqual(
      Array(3).fill(sha256(first!.text)),
    );

    const next = await startTestApp({ POLICY_VERSION: '2027-01-01' }, harness.db);
    const again = next.chat('ana');
    const [updated] = await again.send('hello again');
    const t = next.app.services.i18n.translator('en');
    expect(updated!.text.startsWith(`${t('consent.policyUpdated')}\n\n`)).toBe(true);
    // "Choose per purpose", switch history on, save, answer the age screen: all under that message.
    const [chooser] = await again.send({ action: updated!.actions![1]!.id });
    const [toggled] = await again.send({ action: chooser!.actions![0]!.id });
    const [ageQuestion] = await again.send({ action: toggled!.actions!.at(-1)!.id });
    const [saved] = await again.send({ action: ageQuestion!.actions!.at(-1)!.id });
    expect(saved?.text).toMatch(/You allowed: Conversation history/);

    const entries = ledgerOf(next, again.subjectId).filter((entry) => entry.policy_version === '2027-01-01');
    expect(entries.map((entry) => [entry.purpose, entry.decision])).toEqual([
      ['history', 'granted'],
      ['personalization', 'denied'],
      ['analytics', 'denied'],
    ]);
    expect(new Set(entries.map((entry) => entry.notice_hash))).toEqual(new Set([sha256(updated!.text)]));
    expect(sha256(updated!.text)).not.toBe(sha256(first!.text));
  });

  it('for a review of choices (/consent): the review message as sent', async () => {
    const ana = harness.chat('ana');
    await ana.press('consent:age:111:adult:en');
    const [review] = await ana.send('/consent');
    expect(review?.text).toMatch(/Your current choices/);
    const [toggled] = await ana.send({ action: review!.actions![2]!.id }); // analytics off
    await ana.send({ action: toggled!.actions!.at(-1)!.id });
    const latest = ledgerOf(harness, ana.subjectId).slice(-3);
    expect(latest.map((entry) => [entry.purpose, entry.decision])).toEqual([
      ['history', 'granted'],
      ['personalization', 'granted'],
      ['analytics', 'withdrawn'],
    ]);
    expect(new Set(latest.map((entry) => entry.notice_hash))).toEqual(new Set([sha256(review!.text)]));
  });
});

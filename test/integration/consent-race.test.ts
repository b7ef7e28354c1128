import { NO_PURPOSES } from '../../src/privacy/purposes';
import { startTestApp } from '../support/test-app';

/**
 * STORAGE-CONTRACT X1 and B2 at the level of the consent service: two decisions of one person in
 * flight at once are recorded one after the other, each from the state the other left.
 */
describe('concurrent consent decisions of one person', () => {
  it('records /stop racing a grant as a withdrawal, and deletes what the grant allowed', async () => {
    const harness = await startTestApp();
    const { consent, stores, subjectIds } = harness.app.services;
    const subjectId = subjectIds.of('console', 'ana');
    const base = { subjectId, noticeText: 'notice', locale: 'en' as const, channel: 'console' as const };
    const t1 = new Date(Date.now() - 1000);
    const t2 = new Date();

    // Both turns read "no decision" when they started; neither waits for the other.
    const grant = consent.decide({
      ...base,
      choices: { history: true, personalization: true, analytics: false },
      at: t1,
    });
    const stop = consent.decide({ ...base, choices: NO_PURPOSES, at: t2 });
    await Promise.all([grant, stop]);

    const state = await stores.subjects.get(subjectId);
    expect(state?.purposes).toEqual(NO_PURPOSES);
    const ledger = await stores.consentLedger.list(subjectId);
    expect(
      ledger.filter((entry) => entry.at.getTime() === t2.getTime()).map((e) => [e.purpose, e.decision]),
    ).toEqual([
      ['history', 'withdrawn'],
      ['personalization', 'withdrawn'],
      ['analytics', 'denied'],
    ]);
    await harness.db.drop();
  });

  it('applies an objection to the purposes in force when it runs, not to a stale snapshot', async () => {
    const harness = await startTestApp();
    const { consent, stores, subjectIds } = harness.app.services;
    const subjectId = subjectIds.of('console', 'bea');
    const base = { subjectId, noticeText: 'notice', locale: 'en' as const, channel: 'console' as const };
    await consent.decide({
      ...base,
      choices: { history: true, personalization: false, analytics: false },
      at: new Date(Date.now() - 2000),
    });

    // A grant of personalisation and an objection to history, in flight together.
    const grant = consent.decide({
      ...base,
      choices: { history: true, personalization: true, analytics: false },
      at: new Date(Date.now() - 1000),
    });
    const objection = consent.decide({
      ...base,
      choices: (current) => ({ ...current, history: false }),
      at: new Date(),
    });
    await Promise.all([grant, objection]);

    expect((await stores.subjects.get(subjectId))?.purposes).toEqual({
      history: false,
      personalization: true,
      analytics: false,
    });
    await harness.db.drop();
  });
});

import { evidenceExpiry } from '../../src/privacy/deadlines';
import { extensionNotice } from '../../src/privacy/rights/extension-notice';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 16, item 3: due dates in the law's own terms (GDPR Art. 12(3): one calendar month, +2 with
 * notice; CCPA: 45 days, +45), evidence kept 24 calendar months, on the real app and SQLite files.
 */

const endOf = (day: string): number => new Date(`${day}T23:59:59.999Z`).getTime();

interface RequestRow {
  id: string;
  type: string;
  received_at: number;
  due_at: number;
  status: string;
  expires_at: number;
}

let harness: TestApp;
let now: Date;

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  harness = await startTestApp(env, undefined, { clock: () => now });
  return harness;
}

afterEach(async () => harness.db.drop());

function requestRows(h: TestApp): RequestRow[] {
  return h.db.sqlite.prepare('SELECT * FROM rights_requests ORDER BY received_at, id').all() as RequestRow[];
}

describe('rights requests under RIGHTS_REQUEST_DEADLINE=gdpr (the default)', () => {
  it('a request on 31 January 2028 is due by the end of 29 February; its record stays 24 calendar months', async () => {
    now = new Date('2028-01-31T15:00:00Z');
    const h = await start();
    const ana = h.chat('ana');
    await ana.press('consent:age:111:adult:en');
    await ana.send('/mydata');

    expect(requestRows(h)).toEqual([
      expect.objectContaining({
        type: 'access',
        received_at: now.getTime(),
        due_at: endOf('2028-02-29'),
        expires_at: endOf('2030-01-31'),
      }),
    ]);
    // The consent ledger and the consent state: 24 calendar months too, not 730 days.
    const ledger = h.db.sqlite.prepare('SELECT DISTINCT expires_at FROM consent_ledger').all();
    expect(ledger).toEqual([{ expires_at: endOf('2030-01-31') }]);
    expect(h.db.sqlite.prepare('SELECT expires_at FROM subjects').get()).toEqual({
      expires_at: endOf('2030-01-31'),
    });
  });

  it('a request on 1 February is due by the end of 1 March, and is overdue from the next moment only', async () => {
    now = new Date('2027-02-01T08:00:00Z');
    const h = await start();
    await h.chat('ana').send('/mydata');
    const [request] = requestRows(h);
    expect(request!.due_at).toBe(endOf('2027-03-01'));
    // Completed at once, so never overdue; an open one would be only after 1 March has ended.
    const open = await h.app.services.stores.rightsRequests.open(
      {
        subjectId: 'subject-x',
        type: 'erasure',
        origin: 'operator',
        receivedAt: now,
        dueAt: h.app.services.rights.deadline.dueAt(now),
      },
      evidenceExpiry(now, 24),
    );
    expect(await h.app.services.rights.overdue(new Date(endOf('2027-03-01')))).toEqual([]);
    expect((await h.app.services.rights.overdue(new Date(endOf('2027-03-01') + 1))).map((r) => r.id)).toEqual(
      [open.id],
    );
  });

  it('/privacy says "within one month", and what happens if a request needs longer', async () => {
    now = new Date('2027-02-01T08:00:00Z');
    const h = await start();
    const [notice] = await h.chat('ana').send('/privacy');
    expect(notice?.text).toContain(
      'I answer at once, and always within one month. Should a request ever need longer, I will tell you why within that month, and it will take at most two more months.',
    );
    expect(notice?.text).not.toMatch(/30 days\. It is free|\{\{/);
    // The evidence retention in the data map is said in months.
    expect(notice?.text).toMatch(/Your data-rights requests: .*Kept 24 months/);
  });

  it("extends an unanswered request once, within the first month, by two months, with a notice in the person's language", async () => {
    now = new Date('2028-01-31T15:00:00Z');
    const h = await start();
    const { rights, stores } = h.app.services;
    // A German speaker who decided (so their language is kept) and wrote to the operator.
    const ana = h.chat('ana', { localeHint: 'de' });
    await ana.press('consent:none:de');
    const letter = await stores.rightsRequests.open(
      {
        subjectId: ana.subjectId,
        type: 'erasure',
        origin: 'operator',
        receivedAt: now,
        dueAt: rights.deadline.dueAt(now),
      },
      evidenceExpiry(now, h.config.retention.evidenceMonths),
    );
    expect(letter.dueAt.getTime()).toBe(endOf('2028-02-29'));

    now = new Date('2028-02-20T10:00:00Z');
    const result = await rights.extend(letter.id);
    expect(result).toMatchObject({ extended: true, locale: 'de' });
    if (!result.extended) throw new Error('not extended');
    // Two further months from the end of the first: 29 April, not 30.
    expect(result.dueAt.getTime()).toBe(endOf('2028-04-29'));
    expect(requestRows(h).find((row) => row.id === letter.id)).toMatchObject({
      status: 'open',
      due_at: endOf('2028-04-29'),
      received_at: new Date('2028-01-31T15:00:00Z').getTime(),
    });

    const notice = extensionNotice(h.app.services.i18n.translator(result.locale), result.locale, {
      reference: result.request.id,
      receivedAt: result.request.receivedAt,
      dueAt: result.dueAt,
      reason: 'complexity',
      contact: h.config.privacy.contact,
    });
    expect(notice).toBe(
      `Zu deiner Datenschutzanfrage, die am 31. Januar 2028 bei mir eingegangen ist (Referenz ${letter.id}): ` +
        'Ich brauche mehr Zeit, um sie zu beantworten, weil sie aufwendig ist. Du bekommst meine Antwort ' +
        'spätestens am 29. April 2028. Du musst nichts weiter tun. Fragen oder Beschwerden: ' +
        'privacy@example.org. Du kannst dich auch bei deiner Datenschutzaufsichtsbehörde beschweren.',
    );

    // Not overdue after the first month any more; once only.
    expect(await rights.overdue(new Date('2028-03-15T00:00:00Z'))).toEqual([]);
    expect(await rights.extend(letter.id)).toMatchObject({ extended: false, refusal: 'already-extended' });

    // Too late once the first month is over; nothing for an answered or unknown request.
    const late = await stores.rightsRequests.open(
      {
        subjectId: ana.subjectId,
        type: 'export',
        origin: 'operator',
        receivedAt: now,
        dueAt: rights.deadline.dueAt(now),
      },
      evidenceExpiry(now, 24),
    );
    now = new Date('2028-03-21T00:00:00Z');
    expect(await rights.extend(late.id)).toMatchObject({ extended: false, refusal: 'too-late' });
    expect(requestRows(h).find((row) => row.id === late.id)?.due_at).toBe(endOf('2028-03-20'));
    await stores.rightsRequests.finish(late.id, 'completed', 'exported', now);
    expect(await rights.extend(late.id)).toEqual({ extended: false, refusal: 'not-open' });
    expect(await rights.extend('rr_unknown')).toEqual({ extended: false, refusal: 'not-open' });
  });
});

describe('rights requests under RIGHTS_REQUEST_DEADLINE=ccpa', () => {
  it('are due 45 days from the day of receipt (+45), and /privacy says so', async () => {
    now = new Date('2027-01-01T15:00:00Z');
    const h = await start({ RIGHTS_REQUEST_DEADLINE: 'ccpa' });
    const ana = h.chat('ana');
    await ana.send('/mydata');
    expect(requestRows(h)[0]).toMatchObject({ due_at: endOf('2027-02-14'), expires_at: endOf('2029-01-01') });
    expect(h.app.services.rights.deadline.acknowledgeBy(now)?.getTime()).toBe(endOf('2027-01-15'));

    const letter = await h.app.services.stores.rightsRequests.open(
      {
        subjectId: ana.subjectId,
        type: 'erasure',
        origin: 'operator',
        receivedAt: now,
        dueAt: h.app.services.rights.deadline.dueAt(now),
      },
      evidenceExpiry(now, 24),
    );
    const result = await h.app.services.rights.extend(letter.id);
    expect(result).toMatchObject({ extended: true, locale: 'en' });
    if (!result.extended) throw new Error('not extended');
    expect(result.dueAt.getTime()).toBe(endOf('2027-03-31'));
    const notice = extensionNotice(h.app.services.i18n.translator('en'), 'en', {
      reference: letter.id,
      receivedAt: letter.receivedAt,
      dueAt: result.dueAt,
      reason: 'volume',
      contact: 'dpo@example.test',
    });
    expect(notice).toContain('received on January 1, 2027');
    expect(notice).toContain('because I received many requests at the same time');
    expect(notice).toContain('by March 31, 2027 at the latest');

    const [privacy] = await ana.send('/privacy');
    expect(privacy?.text).toContain('I answer at once, and always within 45 days.');
  });
});

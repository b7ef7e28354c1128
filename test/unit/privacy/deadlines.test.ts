import {
  RightsRequestDeadline,
  addCalendarMonths,
  businessDaysAfter,
  endOfUtcDay,
  evidenceExpiry,
  periodEnd,
} from '../../../src/privacy/deadlines';

const utc = (iso: string): Date => new Date(`${iso}Z`);
/** The end of a UTC day, as a deadline that "ends with the expiry of its last day". */
const endOf = (day: string): Date => utc(`${day}T23:59:59.999`);

describe('calendar months (UTC)', () => {
  it.each([
    ['2027-01-31T10:00:00', 1, '2027-02-28T10:00:00'],
    ['2028-01-31T10:00:00', 1, '2028-02-29T10:00:00'],
    ['2027-02-01T00:00:00', 1, '2027-03-01T00:00:00'],
    ['2027-02-28T08:30:00', 1, '2027-03-28T08:30:00'],
    ['2027-03-31T23:59:59', 1, '2027-04-30T23:59:59'],
    ['2027-08-31T12:00:00', 1, '2027-09-30T12:00:00'],
    ['2027-12-31T12:00:00', 1, '2028-01-31T12:00:00'],
    ['2027-12-15T12:00:00', 2, '2028-02-15T12:00:00'],
    ['2028-02-29T12:00:00', 12, '2029-02-28T12:00:00'],
    ['2028-02-29T12:00:00', 24, '2030-02-28T12:00:00'],
    ['2028-02-29T12:00:00', 48, '2032-02-29T12:00:00'],
    ['2027-05-31T12:00:00', -3, '2027-02-28T12:00:00'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addCalendarMonths(utc(from), months)).toEqual(utc(expected));
  });

  it('does not depend on the time zone of the machine', () => {
    // 23:30 UTC on 31 January is already 1 February east of Greenwich; the UTC date counts.
    expect(addCalendarMonths(utc('2027-01-31T23:30:00'), 1)).toEqual(utc('2027-02-28T23:30:00'));
    expect(addCalendarMonths(utc('2027-02-01T00:30:00'), 1)).toEqual(utc('2027-03-01T00:30:00'));
  });

  it('ends a period with the end of its last day', () => {
    expect(endOfUtcDay(utc('2027-02-28T00:00:00'))).toEqual(endOf('2027-02-28'));
    expect(periodEnd(utc('2027-01-31T09:00:00'), { months: 1 })).toEqual(endOf('2027-02-28'));
    expect(periodEnd(utc('2027-01-01T09:00:00'), { days: 44 })).toEqual(endOf('2027-02-14'));
  });
});

describe('GDPR Art. 12(3): one month, extendable by two further months', () => {
  const gdpr = new RightsRequestDeadline('gdpr');

  it.each([
    ['2027-01-31T15:00:00', '2027-02-28'],
    ['2028-01-31T15:00:00', '2028-02-29'],
    ['2028-01-30T15:00:00', '2028-02-29'],
    ['2028-01-29T15:00:00', '2028-02-29'],
    ['2027-02-01T15:00:00', '2027-03-01'],
    ['2027-02-28T15:00:00', '2027-03-28'],
    ['2027-03-31T15:00:00', '2027-04-30'],
    ['2027-04-30T15:00:00', '2027-05-30'],
    ['2027-12-31T15:00:00', '2028-01-31'],
  ])('a request received %s is due by the end of %s', (received, due) => {
    expect(gdpr.dueAt(utc(received))).toEqual(endOf(due));
  });

  it('extends by two months counted from the end of the first, the earlier reading', () => {
    expect(gdpr.extendedDueAt(utc('2028-01-31T15:00:00'))).toEqual(endOf('2028-04-29'));
    expect(gdpr.extendedDueAt(utc('2027-02-01T15:00:00'))).toEqual(endOf('2027-05-01'));
    expect(gdpr.extendedDueAt(utc('2027-11-30T15:00:00'))).toEqual(endOf('2028-02-29'));
  });

  it('allows one extension, notified within the first month', () => {
    const receivedAt = utc('2027-01-31T15:00:00');
    const open = { receivedAt, dueAt: gdpr.dueAt(receivedAt) };
    expect(gdpr.canExtend(open, utc('2027-02-28T23:00:00'))).toBe(true);
    expect(gdpr.canExtend(open, utc('2027-03-01T00:00:00'))).toBe(false);
    const extended = { receivedAt, dueAt: gdpr.extendedDueAt(receivedAt) };
    expect(gdpr.canExtend(extended, utc('2027-02-10T00:00:00'))).toBe(false);
  });

  it('asks for no separate acknowledgement', () => {
    expect(gdpr.acknowledgeBy(utc('2027-01-31T15:00:00'))).toBeUndefined();
  });
});

describe('CCPA (11 CCR § 7021): 45 days from the day of receipt, +45, acknowledged within 10 business days', () => {
  const ccpa = new RightsRequestDeadline('ccpa');

  it.each([
    ['2027-01-01T15:00:00', '2027-02-14'],
    ['2027-01-31T15:00:00', '2027-03-16'],
    ['2028-02-01T15:00:00', '2028-03-16'],
    ['2027-12-20T15:00:00', '2028-02-02'],
  ])('a request received %s is due by the end of %s (the day of receipt is day 1)', (received, due) => {
    expect(ccpa.dueAt(utc(received))).toEqual(endOf(due));
  });

  it('extends by 45 more days: 90 in all', () => {
    expect(ccpa.extendedDueAt(utc('2027-01-01T15:00:00'))).toEqual(endOf('2027-03-31'));
  });

  it.each([
    // Monday 4 January 2027: ten weekdays later is Monday 18 January.
    ['2027-01-04T09:00:00', '2027-01-18'],
    // Friday: the weekend does not count.
    ['2027-01-08T09:00:00', '2027-01-22'],
    // Saturday and Sunday: counting starts on Monday.
    ['2027-01-09T09:00:00', '2027-01-22'],
    ['2027-01-10T09:00:00', '2027-01-22'],
  ])('a request received %s is acknowledged by the end of %s', (received, by) => {
    expect(ccpa.acknowledgeBy(utc(received))).toEqual(endOf(by));
    expect(businessDaysAfter(utc(received), 10)).toEqual(endOf(by));
  });
});

describe('evidence kept in calendar months', () => {
  it.each([
    ['2027-01-31T10:00:00', 24, '2029-01-31'],
    ['2028-02-29T10:00:00', 24, '2030-02-28'],
    ['2027-03-31T10:00:00', 1, '2027-04-30'],
  ])('evidence from %s kept %i months goes after the end of %s', (at, months, last) => {
    expect(evidenceExpiry(utc(at), months)).toEqual(endOf(last));
  });

  it('is never shorter than 730 days for 24 months, and never a day early', () => {
    for (let day = 0; day < 366 * 4; day += 7) {
      const at = new Date(Date.UTC(2027, 0, 1, 12) + day * 86_400_000);
      const kept = evidenceExpiry(at, 24).getTime() - at.getTime();
      expect(kept).toBeGreaterThanOrEqual(730 * 86_400_000);
      expect(evidenceExpiry(at, 24).getUTCDate()).toBe(addCalendarMonths(at, 24).getUTCDate());
    }
  });
});

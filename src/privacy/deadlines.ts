/**
 * Periods in the law's own terms, in UTC. Where a law says "months" it means calendar months, not
 * 30 days: EU periods are counted under Regulation (EEC, Euratom) No 1182/71, Art. 3, so a month
 * from 31 January ends with the last day of February (the 28th or the 29th) and a month from
 * 1 February with 1 March; a period ends with the end of its last day. Where a law says days, it
 * means calendar days, and business days only where it says so (CCPA acknowledgements).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** A period as the law states it: calendar months, or calendar days. */
export type Period = { readonly months: number } | { readonly days: number };

/**
 * The same date `months` calendar months later (or earlier, for a negative count), at the same
 * time of day; the last day of the target month when it has no such date (31 January + 1 month
 * is 28 or 29 February).
 */
export function addCalendarMonths(at: Date, months: number): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(at.getTime());
  // Day first (to one that exists in every month), then year and month, then the real day.
  result.setUTCDate(1);
  result.setUTCFullYear(year, month, Math.min(at.getUTCDate(), lastDay));
  return result;
}

/** The last millisecond of the UTC day `at` falls on: a period "ends with the expiry of its last day". */
export function endOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1) - 1);
}

/**
 * The end of a period that runs from `at`: the end of the day that falls `period` later (the day of
 * the event itself is not counted, Reg. 1182/71 Art. 3(1)). `{ days: 0 }` is the end of that day.
 */
export function periodEnd(at: Date, period: Period): Date {
  const last =
    'months' in period ? addCalendarMonths(at, period.months) : new Date(at.getTime() + period.days * DAY_MS);
  return endOfUtcDay(last);
}

/**
 * The end of the `count`th business day after `at` (Monday to Friday; public holidays differ per
 * state and are counted as business days, which can only make the deadline earlier, never late).
 */
export function businessDaysAfter(at: Date, count: number): Date {
  let day = new Date(at.getTime());
  let left = count;
  while (left > 0) {
    day = new Date(day.getTime() + DAY_MS);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return endOfUtcDay(day);
}

/** The deadlines a data-rights request runs under, by law. */
export const RIGHTS_REQUEST_DEADLINES = ['gdpr', 'ccpa'] as const;
export type RightsRequestDeadlineName = (typeof RIGHTS_REQUEST_DEADLINES)[number];

interface DeadlineRules {
  /** From receipt to the answer. */
  readonly answer: Period;
  /** How much later the answer may come, counted from the end of `answer`, if the person is told in time. */
  readonly extension: Period;
  /** Business days after receipt by which receipt must be confirmed, where the law asks for it. */
  readonly acknowledgeBusinessDays?: number;
}

/**
 * - GDPR Art. 12(3): "without undue delay and in any event within one month of receipt", which
 *   "may be extended by two further months where necessary", the person being told of the
 *   extension and why within the first month. The two further months are counted from the end of
 *   the first one, the earlier of the two readings (31 January: due 29 February 2028, at most
 *   29 April, not 30 April).
 * - CCPA regulations, 11 CCR § 7021: confirm receipt within 10 business days; answer within 45
 *   calendar days, a period that "will begin on the day that the business receives the request"
 *   (so that day is day 1: a request on 1 January is due by the end of 14 February); extendable
 *   once by up to 45 more days with notice and an explanation within the first 45.
 */
const RULES: Record<RightsRequestDeadlineName, DeadlineRules> = {
  gdpr: { answer: { months: 1 }, extension: { months: 2 } },
  ccpa: { answer: { days: 44 }, extension: { days: 45 }, acknowledgeBusinessDays: 10 },
};

/** The deadlines of one law for requests received at a given time. */
export class RightsRequestDeadline {
  private readonly rules: DeadlineRules;

  constructor(readonly law: RightsRequestDeadlineName) {
    this.rules = RULES[law];
  }

  /** When the answer is due: the end of the last day of the period. */
  dueAt(receivedAt: Date): Date {
    return periodEnd(receivedAt, this.rules.answer);
  }

  /** The latest an extended request may be answered. */
  extendedDueAt(receivedAt: Date): Date {
    return periodEnd(this.dueAt(receivedAt), this.rules.extension);
  }

  /** By when the person must hear that a request was received (CCPA); undefined where no law asks. */
  acknowledgeBy(receivedAt: Date): Date | undefined {
    const days = this.rules.acknowledgeBusinessDays;
    return days === undefined ? undefined : businessDaysAfter(receivedAt, days);
  }

  /** An extension is possible while the first period runs, and once. */
  canExtend(request: { readonly receivedAt: Date; readonly dueAt: Date }, at: Date): boolean {
    const firstDue = this.dueAt(request.receivedAt);
    return at.getTime() <= firstDue.getTime() && request.dueAt.getTime() <= firstDue.getTime();
  }
}

/**
 * When evidence recorded at `at` may go: `months` calendar months later, at the end of that day.
 * A record the law says to keep "at least 24 months" (CCPA, 11 CCR § 7101) is then never deleted
 * a day early, whatever the months' lengths.
 */
export function evidenceExpiry(at: Date, months: number): Date {
  return periodEnd(at, { months });
}

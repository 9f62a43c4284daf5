import * as z from 'zod/mini';

/**
 * Calendar arithmetic in Japan Standard Time. JST is UTC+9 all year (no DST), so a fixed
 * offset is exact and we avoid depending on the host's time zone or ICU data.
 * Dates are ISO strings 'YYYY-MM-DD'; fiscal years (年度) run April 1 – March 31 and are
 * named after the calendar year they start in (FY2026 = 令和8年度 = 2026-04-01..2027-03-31).
 */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** The policy's target window: FY2022 .. FY2026. */
export const TARGET_START = '2022-04-01';
export const TARGET_END = '2027-03-31';
export const TARGET_FIRST_FY = 2022;
export const TARGET_LAST_FY = 2026;

export function isValidIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function assertIsoDate(value: string, where: string): void {
  if (!isValidIsoDate(value)) throw new RangeError(`${where}: "${value}" is not a valid YYYY-MM-DD date`);
}

/** Days since 1970-01-01. setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 19xx. */
function toEpochDay(date: string): number {
  const utc = new Date(0);
  utc.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round(utc.getTime() / DAY_MS);
}

function formatUtcDate(utc: Date, where: string): string {
  const year = utc.getUTCFullYear();
  // toISOString switches to a 6-digit signed year outside 0000-9999.
  if (!(year >= 0 && year <= 9999)) throw new RangeError(`${where}: year ${year} is outside 0000-9999`);
  return utc.toISOString().slice(0, 10);
}

/** The calendar date in Japan at `instant`. */
export function japanDate(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('japanDate: invalid Date');
  return formatUtcDate(new Date(ms + JST_OFFSET_MS), 'japanDate');
}

export function fiscalYearOf(date: string): number {
  assertIsoDate(date, 'fiscalYearOf');
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/** Fiscal year of an instant, judged by the date in Japan (not UTC). */
export function fiscalYearAt(instant: Date): number {
  return fiscalYearOf(japanDate(instant));
}

export function fiscalYearRange(fiscalYear: number): { start: string; end: string } {
  if (!Number.isInteger(fiscalYear) || fiscalYear < 0 || fiscalYear > 9998) {
    throw new RangeError(`fiscalYearRange: ${fiscalYear} is not a fiscal year between 0 and 9998`);
  }
  const pad = (year: number) => String(year).padStart(4, '0');
  return { start: `${pad(fiscalYear)}-04-01`, end: `${pad(fiscalYear + 1)}-03-31` };
}

/** Whole days from `from` to `to`: positive when `to` is later, 0 for the same day. */
export function daysBetween(from: string, to: string): number {
  assertIsoDate(from, 'daysBetween');
  assertIsoDate(to, 'daysBetween');
  return toEpochDay(to) - toEpochDay(from);
}

export function addDays(date: string, days: number): string {
  assertIsoDate(date, 'addDays');
  if (!Number.isInteger(days)) throw new RangeError(`addDays: ${days} is not a whole number of days`);
  return formatUtcDate(new Date((toEpochDay(date) + days) * DAY_MS), 'addDays');
}

/** The earliest completion date accepted: older evidence of today's skills is not plausible. */
export const EARLIEST_COMPLETION = '1980-01-01';

/**
 * Why a reported completion date cannot be accepted, or undefined when it can.
 * `todayJst` is passed in (japanDate(new Date())) so the rule is testable, and so that
 * "today" is Japan's: before 09:00 JST the UTC date is still yesterday, and a completion
 * dated this morning would otherwise look like it is in the future.
 */
export function checkCompletionDate(date: string, todayJst: string): string | undefined {
  assertIsoDate(todayJst, 'checkCompletionDate (today)');
  if (!ISO_DATE.test(date)) {
    return `completion date "${date}" is not in YYYY-MM-DD form: write it like 2025-04-01, with half-width digits`;
  }
  if (!isValidIsoDate(date)) {
    return `completion date ${date} does not exist on the calendar: check the month (01-12) and the day of that month`;
  }
  // Valid YYYY-MM-DD strings sort in date order, so string comparison is date comparison.
  if (date > todayJst) {
    return `completion date ${date} is in the future (today in Japan is ${todayJst}): record a completion once it has happened`;
  }
  // Evidence is evidence whenever it was earned (it counts toward no target figure before
  // the window: shared/progress/contribution.ts); a date before any of today's IT courses is a typo.
  if (date < EARLIEST_COMPLETION) {
    return `completion date ${date} is before ${EARLIEST_COMPLETION}: check the year`;
  }
  return undefined;
}

/** Build per request: a schema built once at start-up would freeze "today". */
export function completionDate(todayJst: string) {
  assertIsoDate(todayJst, 'completionDate (today)');
  return z.string({ error: 'a completion date must be a string in YYYY-MM-DD form, e.g. "2025-04-01"' }).check(
    z.superRefine((value, ctx) => {
      const reason = checkCompletionDate(value, todayJst);
      if (reason) ctx.issues.push({ code: 'custom', message: reason, input: value });
    }),
  );
}

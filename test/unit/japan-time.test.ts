import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TARGET_END,
  TARGET_FIRST_FY,
  TARGET_LAST_FY,
  TARGET_START,
  addDays,
  checkCompletionDate,
  completionDate,
  daysBetween,
  fiscalYearAt,
  fiscalYearOf,
  fiscalYearRange,
  isValidIsoDate,
  japanDate,
} from '../../shared/time/japan-time';

// Any date from 1990 to about 2089, built from a day offset so every value is real.
const anyDate = fc.integer({ min: 0, max: 36_500 }).map((n) => addDays('1990-01-01', n));

describe('japanDate', () => {
  it('is the UTC date shifted by nine hours', () => {
    expect(japanDate(new Date('2027-03-31T14:59:59Z'))).toBe('2027-03-31');
    expect(japanDate(new Date('2027-03-31T15:00:00Z'))).toBe('2027-04-01');
    expect(japanDate(new Date('2025-12-31T15:00:00Z'))).toBe('2026-01-01');
    expect(japanDate(new Date('2026-07-01T00:00:00+09:00'))).toBe('2026-07-01');
    // No DST: the offset in "summer" is the same as in winter.
    expect(japanDate(new Date('2026-08-10T14:59:59.999Z'))).toBe('2026-08-10');
  });

  it('refuses an invalid Date', () => {
    expect(() => japanDate(new Date('not a date'))).toThrow('japanDate: invalid Date');
  });
});

describe('fiscal year (年度)', () => {
  it('runs April 1 to March 31 and is named after the year it starts in', () => {
    expect(fiscalYearOf('2027-03-31')).toBe(2026);
    expect(fiscalYearOf('2026-04-01')).toBe(2026);
    expect(fiscalYearOf('2026-03-31')).toBe(2025);
    expect(fiscalYearOf('2026-12-31')).toBe(2026);
    expect(fiscalYearOf('2027-01-01')).toBe(2026);
  });

  it('changes at midnight in Japan, not in UTC', () => {
    expect(fiscalYearAt(new Date('2027-03-31T14:59:59Z'))).toBe(2026);
    expect(fiscalYearAt(new Date('2027-03-31T15:00:00Z'))).toBe(2027);
    expect(fiscalYearAt(new Date('2022-03-31T15:00:00Z'))).toBe(2022);
    expect(fiscalYearAt(new Date('2022-03-31T14:59:59Z'))).toBe(2021);
  });

  it('gives the range of a fiscal year', () => {
    expect(fiscalYearRange(2026)).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect(fiscalYearRange(2023)).toEqual({ start: '2023-04-01', end: '2024-03-31' });
    expect(() => fiscalYearRange(2026.5)).toThrow(RangeError);
  });

  it('keeps the target window constants consistent: FY2022..FY2026', () => {
    expect([TARGET_START, TARGET_END, TARGET_FIRST_FY, TARGET_LAST_FY]).toEqual(['2022-04-01', '2027-03-31', 2022, 2026]);
    expect(fiscalYearRange(TARGET_FIRST_FY).start).toBe(TARGET_START);
    expect(fiscalYearRange(TARGET_LAST_FY).end).toBe(TARGET_END);
    // Five years holding one leap day (2024-02-29) span 1826 days, i.e. 1825 between first and last.
    expect(daysBetween(TARGET_START, TARGET_END)).toBe(1825);
  });

  it('every date lies inside the range of its own fiscal year', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const { start, end } = fiscalYearRange(fiscalYearOf(date));
        expect(start <= date && date <= end).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses malformed dates', () => {
    expect(() => fiscalYearOf('2026-4-1')).toThrow('fiscalYearOf: "2026-4-1" is not a valid YYYY-MM-DD date');
    expect(() => fiscalYearOf('2025-02-29')).toThrow(RangeError);
  });
});

describe('isValidIsoDate', () => {
  it('accepts real dates including leap days', () => {
    for (const date of ['2024-02-29', '2000-02-29', '2025-12-31', '2026-04-30', '0050-01-01']) {
      expect(isValidIsoDate(date)).toBe(true);
    }
  });

  it('rejects impossible or malformed dates', () => {
    for (const date of [
      '2025-02-29',
      '1900-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '2024-04-00',
      '2024-4-1',
      '2024/04/01',
      '２０２４-04-01',
      '2024-04-01T00:00:00Z',
      '',
    ]) {
      expect(isValidIsoDate(date)).toBe(false);
    }
  });
});

describe('daysBetween and addDays', () => {
  it('counts whole days, signed', () => {
    expect(daysBetween('2026-04-01', '2027-03-31')).toBe(364);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2026-05-05', '2026-05-05')).toBe(0);
  });

  it('adds days across month, year and leap boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2027-03-31', 1)).toBe('2027-04-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('0050-12-31', 1)).toBe('0051-01-01');
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
  });

  it('are inverse to each other', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -4000, max: 4000 }), (date, n) => {
        const later = addDays(date, n);
        expect(isValidIsoDate(later)).toBe(true);
        expect(daysBetween(date, later)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkCompletionDate', () => {
  const today = '2026-05-01';

  it('accepts dates up to today in Japan, before the target window too (evidence counts for skills)', () => {
    expect(checkCompletionDate('2022-04-01', today)).toBeUndefined();
    expect(checkCompletionDate('2022-03-31', today)).toBeUndefined();
    expect(checkCompletionDate('2009-10-18', today)).toBeUndefined();
    expect(checkCompletionDate('2024-02-29', today)).toBeUndefined();
    expect(checkCompletionDate(today, today)).toBeUndefined();
  });

  it('explains implausibly old dates', () => {
    expect(checkCompletionDate('1979-12-31', today)).toBe('completion date 1979-12-31 is before 1980-01-01: check the year');
  });

  it('explains dates in the future', () => {
    expect(checkCompletionDate('2026-05-02', today)).toBe(
      'completion date 2026-05-02 is in the future (today in Japan is 2026-05-01): record a completion once it has happened',
    );
  });

  it('judges "today" in Japan: 08:30 JST is still yesterday in UTC', () => {
    const todayInJapan = japanDate(new Date('2026-05-01T23:30:00Z'));
    expect(todayInJapan).toBe('2026-05-02');
    expect(checkCompletionDate('2026-05-02', todayInJapan)).toBeUndefined();
  });

  it('explains malformed and impossible dates', () => {
    expect(checkCompletionDate('2025/04/01', today)).toBe(
      'completion date "2025/04/01" is not in YYYY-MM-DD form: write it like 2025-04-01, with half-width digits',
    );
    expect(checkCompletionDate('２０２５-04-01', today)).toContain('is not in YYYY-MM-DD form');
    expect(checkCompletionDate('2025-02-29', today)).toBe(
      'completion date 2025-02-29 does not exist on the calendar: check the month (01-12) and the day of that month',
    );
  });

  it('refuses a malformed "today", which is a programming error', () => {
    expect(() => checkCompletionDate('2025-04-01', '2026-5-1')).toThrow(RangeError);
  });

  it('schema completionDate(today) carries the same reasons', () => {
    const schema = completionDate(today);
    expect(schema.parse('2025-04-01')).toBe('2025-04-01');
    expect(schema.parse('2022-03-31')).toBe('2022-03-31');
    expect(schema.safeParse('1979-12-31').error?.issues.map((i) => i.message)).toEqual(['completion date 1979-12-31 is before 1980-01-01: check the year']);
    expect(schema.safeParse(20250401).error?.issues.map((i) => i.message)).toEqual([
      'a completion date must be a string in YYYY-MM-DD form, e.g. "2025-04-01"',
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMonthlySeries, monthlySeriesCsv, monthsSince, publishableCuts } from '../../shared/progress/series';

/**
 * The monthly series behind the progress page's line chart (shared/progress/series.ts):
 * months since April 2022, and a public answer from which no count from 1 to 9 can be
 * recovered by subtracting published figures.
 */
describe('monthsSince', () => {
  it('lists every month from April 2022 to the month of today', () => {
    expect(monthsSince('2022-04-01', '2022-04-01')).toEqual(['2022-04']);
    const months = monthsSince('2022-04-01', '2026-12-06');
    expect(months[0]).toBe('2022-04');
    expect(months.at(-1)).toBe('2026-12');
    expect(months).toHaveLength(57);
    expect(months).toContain('2023-01');
  });
});

describe('publishableCuts', () => {
  const counts = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 15 })), { minLength: 1, maxLength: 60 });

  it('publishes every mandatory end, and between published ends either 0 or at least 10 people, or a whole mandatory segment', () => {
    fc.assert(
      fc.property(counts, fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), (monthly, flags) => {
        const mandatory = (i: number) => i === monthly.length - 1 || flags[i]!;
        const cut = publishableCuts(monthly, mandatory);
        let previous = -1;
        let previousMandatory = -1;
        monthly.forEach((_, i) => {
          if (mandatory(i)) expect(cut[i]).toBe(true);
          if (!cut[i]) return;
          const segment = monthly.slice(previous + 1, i + 1).reduce((a, b) => a + b, 0);
          // A small segment only where the published figures (fiscal-year totals) already fix it.
          if (segment > 0 && segment < 10) expect(mandatory(i) && previous === previousMandatory).toBe(true);
          previous = i;
          if (mandatory(i)) previousMandatory = i;
        });
      }),
    );
  });

  it('leaves no hidden month of 1 to 9 determined by the published cumulative figures', () => {
    fc.assert(
      fc.property(counts, (monthly) => {
        // Only the last month is mandatory: no published fiscal-year figure fixes a segment.
        const cut = publishableCuts(monthly, (i) => i === monthly.length - 1);
        let start = 0;
        monthly.forEach((_, i) => {
          if (!cut[i]) return;
          const segment = monthly.slice(start, i + 1);
          const hiddenSmall = segment.some((n) => n > 0 && n < 10);
          // A segment holding a small month spans several months whose split is unknown.
          if (hiddenSmall && i < monthly.length - 1) expect(segment.length).toBeGreaterThan(1);
          start = i + 1;
        });
      }),
    );
  });
});

describe('buildMonthlySeries', () => {
  const people = new Map([
    [2024, { 'd2024-05-10': 4, 'p31|d2024-05-10': 4, all: 4 } as Record<string, number>],
    [2025, { 'd2025-06-01': 15, all: 15 } as Record<string, number>],
  ]);
  const rule = { provisional: true, provisionalReason: 'not published' };
  const build = (suppressSmallCells: boolean) => buildMonthlySeries({ today: '2025-07-15', ruleVersion: '2026.1', rule, people, suppressSmallCells });

  it('gives admin every month exactly, by the day cells only', () => {
    const series = build(false);
    expect(series.months.find((m) => m.month === '2024-05')).toEqual({ month: '2024-05', qualified: 4, cumulative: 4 });
    expect(series.months.find((m) => m.month === '2025-06')).toEqual({ month: '2025-06', qualified: 15, cumulative: 19 });
    expect(series.months.at(-1)).toEqual({ month: '2025-07', qualified: 0, cumulative: 19 });
    expect(series.suppressed).toBeNull();
  });

  it('hides the small month and the cumulative figures that would give it away, keeping fiscal-year ends and today', () => {
    const series = build(true);
    const month = (m: string) => series.months.find((p) => p.month === m)!;
    expect(month('2024-03')).toEqual({ month: '2024-03', qualified: 0, cumulative: 0 });
    expect(month('2024-05')).toEqual({ month: '2024-05', qualified: null, cumulative: null });
    expect(month('2025-02').cumulative).toBeNull();
    // The fiscal-year figure the report publishes anyway.
    expect(month('2025-03').cumulative).toBe(4);
    expect(month('2025-06')).toEqual({ month: '2025-06', qualified: 15, cumulative: 19 });
    expect(series.months.at(-1)!.cumulative).toBe(19);
    for (const [i, p] of series.months.entries()) {
      if (p.qualified !== null) expect(p.qualified === 0 || p.qualified >= 10, p.month).toBe(true);
      if (p.qualified !== null && i > 0) expect(p.cumulative! - series.months[i - 1]!.cumulative!).toBe(p.qualified);
    }
    expect(series.suppressed).toContain('null');
  });

  it('writes the same figures as a CSV table naming the rule and its status', () => {
    const csv = monthlySeriesCsv(build(true));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).trim().split('\r\n');
    expect(rows[0]).toBe('month,qualified_in_month,qualified_cumulative,counting_rule,rule_status');
    expect(rows).toContain('2024-05,,,2026.1,provisional');
    expect(rows).toContain('2025-06,15,19,2026.1,provisional');
  });
});

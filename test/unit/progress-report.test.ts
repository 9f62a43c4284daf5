import { describe, expect, it } from 'vitest';
import { buildPlacementsReport } from '../../shared/progress/placements-report';
import { progressCsv } from '../../shared/progress/progress-file';
import { buildProgressReport, TARGET } from '../../shared/progress/report';

const rule = { provisional: true, provisionalReason: 'not official yet' };
const report = (people: Record<number, Record<string, number>>, today: string) =>
  buildProgressReport({
    filters: { ruleVersion: '2026.1' },
    today,
    people: new Map(Object.entries(people).map(([fy, cells]) => [Number(fy), cells])),
    completions: new Map(),
    catalog: undefined,
    rule,
    suppressSmallCells: false,
  });

describe('prefecture rows', () => {
  it('add up to the national figure, people without a residence prefecture in a row of their own', () => {
    const r = report({ 2025: { all: 12, p31: 5, p13: 4, p00: 3 } }, '2026-12-02');
    const rows = r.breakdowns.prefectures;
    expect(rows).toHaveLength(48);
    expect(rows.at(-1)).toMatchObject({ code: '00', en: 'Prefecture unknown', qualified: 3 });
    expect(rows.reduce((n, p) => n + (p.qualified ?? 0), 0)).toBe(r.qualified);
  });
});

describe('the target window', () => {
  it('counts a qualification dated after 2027-03-31 in its fiscal year, not toward 2.3 million', () => {
    const after = report({ 2025: { all: 40 }, 2026: { all: 50 }, 2027: { all: 7, 'd2027-04-01': 7 } }, '2027-05-01');
    expect(after.qualified).toBe(97);
    expect(after.qualifiedByFiscalYear.find((y) => y.fiscalYear === 2027)?.qualified).toBe(7);
    expect(after.pace).toMatchObject({ towardTarget: 90, remaining: TARGET - 90, daysLeft: 0, targetWindow: { from: '2022-04-01', to: '2027-03-31' } });
  });

  it('counts everything inside the window toward the target', () => {
    const inside = report({ 2025: { all: 40 }, 2026: { all: 50 } }, '2026-12-02');
    expect(inside.pace).toMatchObject({ towardTarget: 90, remaining: TARGET - 90 });
  });

  it('writes the pace as a table of its own in the CSV, the window as two cells, not as an object', () => {
    const csv = progressCsv(report({ 2026: { all: 50 } }, '2026-12-02'));
    expect(csv).toContain(
      '\r\n\r\ndimension,target,target_from,target_to,toward_target,remaining,days_left,needed_per_day,trailing_30_per_day,trailing_90_per_day,projected_date\r\npace,2300000,2022-04-01,2027-03-31,50,',
    );
    expect(csv).not.toContain('[object Object]');
  });
});

describe('public placements', () => {
  const byYear = new Map([[2025, { all: 1, w31: 1, 'sfull-time': 1, 'w31|sfull-time': 1, 'f13>31': 1 }]]);
  it('publish no count while there are fewer than 10 placements in all', () => {
    const report = buildPlacementsReport({ byYear, suppressSmallCells: true });
    expect(report.placements).toBeNull();
    expect(report.byPrefecture.find((p) => p.code === '31')?.placements).toBeNull();
    expect(report.flows).toEqual([{ from: '13', to: '31', placements: null }]);
    expect(report.fromTokyoAreaToRegions).toBeNull();
  });

  it("show a center its own prefecture's placements and flows exactly", () => {
    const report = buildPlacementsReport({ byYear, suppressSmallCells: true, ownPrefecture: '31' });
    expect(report.byPrefecture.find((p) => p.code === '31')?.placements).toBe(1);
    expect(report.flows).toEqual([{ from: '13', to: '31', placements: 1 }]);
  });
});

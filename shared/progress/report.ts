import type { CatalogVersion } from '../catalog/model';
import { aggregateIds } from '../data/aggregation';
import { PREFECTURES } from '../ids';
import { addDays, daysBetween, fiscalYearOf, TARGET_END, TARGET_FIRST_FY, TARGET_LAST_FY } from '../time/japan-time';

/**
 * The progress report toward 2.3 million, built from the aggregate items only (pure: the
 * caller reads a constant number of items). Public answers suppress any count under 10.
 */
export const TARGET = 2_300_000;
export const SMALL_CELL = 10;

export interface ProgressFilters {
  ruleVersion: string;
  fiscalYear?: number;
  prefecture?: string;
  type?: string;
  role?: string;
}

/** Aggregate ids a report reads: people and completions for each fiscal year so far. */
export function reportAggregateIds(ruleVersion: string, today: string): { people: string[]; completions: string[]; years: number[] } {
  const years: number[] = [];
  for (let fy = TARGET_FIRST_FY; fy <= fiscalYearOf(today); fy++) years.push(fy);
  return { years, people: years.map((fy) => aggregateIds.people(ruleVersion, fy)), completions: years.map((fy) => aggregateIds.completions(fy)) };
}

type Cells = Record<string, number>;
type Count = number | null;

export function buildProgressReport(input: {
  filters: ProgressFilters;
  today: string;
  people: Map<number, Cells>;
  completions: Map<number, Cells>;
  catalog: CatalogVersion | undefined;
  /** The counting rule's own word on whether it is official: every answer repeats it. */
  rule: { provisional: boolean; provisionalReason?: string | undefined };
  /** Public answers hide counts under SMALL_CELL. */
  suppressSmallCells: boolean;
}) {
  const { filters, today, people, completions, catalog, suppressSmallCells } = input;
  const show = (n: number): Count => (suppressSmallCells && n > 0 && n < SMALL_CELL ? null : n);
  const years = [...people.keys()].sort();
  const inScope = (fy: number) => filters.fiscalYear === undefined || fy === filters.fiscalYear;
  const total = (map: Map<number, Cells>, cell: string) => years.filter(inScope).reduce((n, fy) => n + (map.get(fy)?.[cell] ?? 0), 0);

  const scope =
    [filters.prefecture ? `p${filters.prefecture}` : '', filters.type ? `t${filters.type}` : '', filters.role ? `r${filters.role}` : '']
      .filter(Boolean)
      .join('|') || 'all';
  const qualified = total(people, scope);
  const completionCell = (status: string) => (filters.prefecture ? `${status}|p${filters.prefecture}` : status);
  const national = !filters.prefecture && !filters.type && !filters.role;

  const dailySum = (from: string, days: number) => {
    let n = 0;
    for (let i = 0; i < days; i++) {
      const date = addDays(from, -i);
      n += people.get(fiscalYearOf(date))?.[`d${date}`] ?? 0;
    }
    return n;
  };
  // The target counts people qualified by 2027-03-31; later qualifications count in their own fiscal year only.
  const towardTarget = years.filter((fy) => fy <= TARGET_LAST_FY).reduce((n, fy) => n + (people.get(fy)?.[scope] ?? 0), 0);
  const remaining = Math.max(0, TARGET - towardTarget);
  const daysLeft = Math.max(0, daysBetween(today, TARGET_END) + 1);
  const trailing30 = dailySum(today, 30) / 30;
  const trailing90 = dailySum(today, 90) / 90;
  const pace =
    national && filters.fiscalYear === undefined
      ? {
          target: TARGET,
          targetWindow: { from: `${TARGET_FIRST_FY}-04-01`, to: TARGET_END },
          towardTarget: show(towardTarget),
          remaining,
          daysLeft,
          neededPerDay: daysLeft > 0 ? Math.ceil(remaining / daysLeft) : null,
          trailing30PerDay: round(trailing30),
          trailing90PerDay: round(trailing90),
          // null when nothing happened in 30 days, or when the pace would take over a century.
          projectedDate:
            remaining === 0
              ? today
              : trailing30 > 0 && remaining / trailing30 <= MAX_PROJECTION_DAYS
                ? addDays(today, Math.ceil(remaining / trailing30))
                : null,
        }
      : null;

  const breakdown = (prefix: string, entries: { id: string; ja?: string; en?: string }[]) =>
    entries.map((entry) => ({ ...entry, qualified: show(total(people, scopedCell(filters.prefecture, `${prefix}${entry.id}`))) }));

  return {
    rule: filters.ruleVersion,
    provisional: input.rule.provisional,
    ...(input.rule.provisionalReason ? { provisionalReason: input.rule.provisionalReason } : {}),
    filters,
    today,
    qualified: show(qualified),
    qualifiedByFiscalYear: years.map((fy) => ({ fiscalYear: fy, qualified: show(people.get(fy)?.[scope] ?? 0) })),
    completions: {
      verified: show(total(completions, completionCell('verified'))),
      selfReported: show(total(completions, completionCell('self-reported'))),
      byFiscalYear: years.map((fy) => ({
        fiscalYear: fy,
        verified: show(completions.get(fy)?.[completionCell('verified')] ?? 0),
        selfReported: show(completions.get(fy)?.[completionCell('self-reported')] ?? 0),
      })),
    },
    pace,
    breakdowns: {
      prefectures:
        filters.prefecture || filters.type || filters.role
          ? []
          : [...PREFECTURES, UNKNOWN_PREFECTURE].map((p) => ({
              code: p.code,
              ja: p.ja,
              en: p.en,
              qualified: show(total(people, `p${p.code}`)),
              completionsVerified: show(total(completions, `verified|p${p.code}`)),
            })),
      types: filters.type || filters.role ? [] : breakdown('t', catalog?.promotion.types.map(({ id, ja, en }) => ({ id, ja, en })) ?? []),
      roles: filters.type || filters.role ? [] : breakdown('r', catalog?.promotion.roles.map(({ id, ja, en }) => ({ id, ja, en })) ?? []),
    },
    suppressed: suppressSmallCells ? `counts from 1 to ${SMALL_CELL - 1} are shown as null` : null,
  };
}

/** People recorded without a residence prefecture ("00") get a row of their own, so the rows add up to the total. */
const UNKNOWN_PREFECTURE = { code: '00', ja: '都道府県不明', en: 'Prefecture unknown' } as const;

const scopedCell = (prefecture: string | undefined, cell: string) => (prefecture ? `p${prefecture}|${cell}` : cell);
const MAX_PROJECTION_DAYS = 36_500;
const round = (n: number) => Math.round(n * 10) / 10;

export type ProgressReport = ReturnType<typeof buildProgressReport>;

/** The same report as a table a spreadsheet opens (UTF-8 with BOM, so Excel reads the Japanese). */
export function progressCsv(report: ProgressReport): string {
  const rows: (string | number | null)[][] = [['dimension', 'key', 'name_ja', 'name_en', 'qualified', 'completions_verified', 'completions_self_reported']];
  // A spreadsheet travels without the API around it: the rule's status goes with the figures.
  rows.push(['counting_rule', report.rule, report.provisional ? 'provisional' : 'official', report.provisionalReason ?? '', '', '', '']);
  rows.push(['total', report.filters.prefecture ?? 'all', '', '', report.qualified, report.completions.verified, report.completions.selfReported]);
  for (const fy of report.qualifiedByFiscalYear) {
    const c = report.completions.byFiscalYear.find((x) => x.fiscalYear === fy.fiscalYear);
    rows.push(['fiscal_year', fy.fiscalYear, `${fy.fiscalYear}年度`, `FY${fy.fiscalYear}`, fy.qualified, c?.verified ?? null, c?.selfReported ?? null]);
  }
  for (const p of report.breakdowns.prefectures) rows.push(['prefecture', p.code, p.ja, p.en, p.qualified, p.completionsVerified, '']);
  for (const t of report.breakdowns.types) rows.push(['talent_type', t.id, t.ja ?? '', t.en ?? '', t.qualified, '', '']);
  for (const r of report.breakdowns.roles) rows.push(['role', r.id, r.ja ?? '', r.en ?? '', r.qualified, '', '']);
  if (report.pace) {
    const { targetWindow, ...figures } = report.pace;
    rows.push(['pace', 'targetWindow', targetWindow.from, targetWindow.to, '', '', '']);
    for (const [key, value] of Object.entries(figures)) rows.push(['pace', key, '', '', value, '', '']);
  }
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

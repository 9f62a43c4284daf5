import { createHash } from 'node:crypto';
import type { CatalogVersion } from '../catalog/model';
import { aggregateIds } from '../data/aggregation';
import { PREFECTURES } from '../ids';
import { CUMULATIVE, type CrossTable, type HiddenCells, protectTable, publish } from './disclosure';
import { addDays, daysBetween, fiscalYearOf, TARGET_END, TARGET_FIRST_FY, TARGET_LAST_FY } from '../time/japan-time';

/**
 * The progress report toward 2.3 million, built from the aggregate items only (pure: the
 * caller reads a constant number of items). Public answers hide counts under 10 and their
 * complements (shared/progress/disclosure.ts).
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
  /** Public answers hide small counts and their complements (shared/progress/disclosure.ts). */
  suppressSmallCells: boolean;
  /** A center reading a public answer sees its own prefecture's cells exactly. */
  ownPrefecture?: string | undefined;
}) {
  const { filters, today, people, completions, catalog, suppressSmallCells } = input;
  const years = [...people.keys()].sort();
  const inScope = (fy: number) => filters.fiscalYear === undefined || fy === filters.fiscalYear;
  const total = (map: Map<number, Cells>, cell: string) => years.filter(inScope).reduce((n, fy) => n + (map.get(fy)?.[cell] ?? 0), 0);
  const tables = publicTables({ years, people, completions, catalog, protect: suppressSmallCells });
  // The column a figure sits in: its fiscal year, or the cumulative figure.
  const column = (fy?: number) => (fy === undefined ? CUMULATIVE : String(fy));
  const shown = (table: PublicTable, row: string, fy?: number): Count =>
    !suppressSmallCells || (table.table.insiderRows && row === input.ownPrefecture)
      ? table.table.value(row, column(fy))
      : publish(table.table, table.hidden, row, column(fy));

  const scope =
    [filters.prefecture ? `p${filters.prefecture}` : '', filters.type ? `t${filters.type}` : '', filters.role ? `r${filters.role}` : '']
      .filter(Boolean)
      .join('|') || 'all';
  const national = !filters.prefecture && !filters.type && !filters.role;
  // Which public table a scope's figures come from; national figures are always published.
  const scopeTable: [PublicTable, string] | undefined =
    filters.prefecture && !filters.type && !filters.role
      ? [tables.people, filters.prefecture]
      : filters.type && !filters.prefecture
        ? [tables.types, filters.type]
        : filters.role && !filters.prefecture
          ? [tables.roles, filters.role]
          : undefined;
  const qualifiedIn = (fy?: number): Count =>
    scopeTable ? shown(scopeTable[0], scopeTable[1], fy) : fy === undefined ? total(people, scope) : (people.get(fy)?.[scope] ?? 0);
  const completionsIn = (status: 'verified' | 'self-reported', fy?: number): Count => {
    const table = status === 'verified' ? tables.verified : tables.selfReported;
    if (filters.prefecture) return shown(table, filters.prefecture, fy);
    return fy === undefined ? total(completions, status) : (completions.get(fy)?.[status] ?? 0);
  };

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
  // Public paces are whole people a day, so that two days' answers do not give a day's exact count;
  // the projection uses the published pace.
  const pace = (n: number) => (suppressSmallCells ? Math.round(n) : round(n));
  const trailing30 = pace(dailySum(today, 30) / 30);
  const trailing90 = pace(dailySum(today, 90) / 90);
  const paceFigures =
    national && filters.fiscalYear === undefined
      ? {
          target: TARGET,
          targetWindow: { from: `${TARGET_FIRST_FY}-04-01`, to: TARGET_END },
          towardTarget,
          remaining,
          daysLeft,
          neededPerDay: daysLeft > 0 ? Math.ceil(remaining / daysLeft) : null,
          trailing30PerDay: trailing30,
          trailing90PerDay: trailing90,
          // null when nothing happened in 30 days, or when the pace would take over a century.
          projectedDate:
            remaining === 0
              ? today
              : trailing30 > 0 && remaining / trailing30 <= MAX_PROJECTION_DAYS
                ? addDays(today, Math.ceil(remaining / trailing30))
                : null,
        }
      : null;

  // Prefecture x type and x role cells are for admin and that prefecture's center only.
  const fineBreakdown = (prefix: string, entries: { id: string; ja?: string; en?: string }[]) =>
    suppressSmallCells ? [] : entries.map((entry) => ({ ...entry, qualified: total(people, `p${filters.prefecture}|${prefix}${entry.id}`) as Count }));
  const breakdown = (prefix: 't' | 'r', entries: { id: string; ja?: string; en?: string }[]) =>
    filters.prefecture
      ? fineBreakdown(prefix, entries)
      : entries.map((entry) => ({ ...entry, qualified: shown(prefix === 't' ? tables.types : tables.roles, entry.id, filters.fiscalYear) }));

  return {
    rule: filters.ruleVersion,
    provisional: input.rule.provisional,
    ...(input.rule.provisionalReason ? { provisionalReason: input.rule.provisionalReason } : {}),
    filters,
    today,
    qualified: qualifiedIn(filters.fiscalYear),
    qualifiedByFiscalYear: years.map((fy) => ({ fiscalYear: fy, qualified: qualifiedIn(fy) })),
    completions: {
      verified: completionsIn('verified', filters.fiscalYear),
      selfReported: completionsIn('self-reported', filters.fiscalYear),
      byFiscalYear: years.map((fy) => ({ fiscalYear: fy, verified: completionsIn('verified', fy), selfReported: completionsIn('self-reported', fy) })),
    },
    pace: paceFigures,
    breakdowns: {
      prefectures:
        filters.prefecture || filters.type || filters.role
          ? []
          : [...PREFECTURES, UNKNOWN_PREFECTURE].map((p) => ({
              code: p.code,
              ja: p.ja,
              en: p.en,
              qualified: shown(tables.people, p.code, filters.fiscalYear),
              completionsVerified: shown(tables.verified, p.code, filters.fiscalYear),
            })),
      types: filters.type || filters.role ? [] : breakdown('t', catalog?.promotion.types.map(({ id, ja, en }) => ({ id, ja, en })) ?? []),
      roles: filters.type || filters.role ? [] : breakdown('r', catalog?.promotion.roles.map(({ id, ja, en }) => ({ id, ja, en })) ?? []),
    },
    suppressed: suppressSmallCells ? SUPPRESSION_NOTE : null,
  };
}

export const SUPPRESSION_NOTE = `counts from 1 to ${SMALL_CELL - 1} are null, and so are other counts (complements) where a null could otherwise be recomputed from published totals; national figures are always published`;

interface PublicTable {
  table: CrossTable;
  hidden: HiddenCells;
}

/**
 * The tables every public answer reads from, each protected once over all its cells (all
 * prefectures and fiscal years), so that every filter, JSON and CSV show one consistent
 * pattern: prefectures x years of people and of each completion status (their columns add
 * up to the national figures, always published), and talent types and roles x years
 * (people hold several, so only each row adds up).
 */
type PublicTables = ReturnType<typeof computePublicTables>;
type TablesInput = { years: number[]; people: Map<number, Cells>; completions: Map<number, Cells>; catalog: CatalogVersion | undefined; protect: boolean };
// One pattern per content of the aggregates: the search takes tens of milliseconds, and
// every request until the next aggregation pass reads the same figures (any filter, JSON
// or CSV). Keyed by a digest of what the tables are built from; a few kept per process.
const patterns = new Map<string, PublicTables>();
const PATTERNS_KEPT = 8;
function publicTables(input: TablesInput): PublicTables {
  if (!input.protect) return computePublicTables(input);
  const key = createHash('sha256')
    .update(JSON.stringify([input.years, [...input.people], [...input.completions], input.catalog?.version ?? null]))
    .digest('base64url');
  const cached = patterns.get(key);
  if (cached) return cached;
  const tables = computePublicTables(input);
  patterns.set(key, tables);
  if (patterns.size > PATTERNS_KEPT) patterns.delete(patterns.keys().next().value!);
  return tables;
}

function computePublicTables(input: TablesInput) {
  const { years, people, completions, catalog, protect } = input;
  const columns = years.map(String);
  const prefectures = [...PREFECTURES.map((p) => p.code), UNKNOWN_PREFECTURE.code];
  const make = (rows: readonly string[], cells: Map<number, Cells>, cellName: (row: string) => string, nationalRows: boolean): PublicTable => {
    const value = (row: string, column: string) =>
      column === CUMULATIVE ? years.reduce((n, fy) => n + (cells.get(fy)?.[cellName(row)] ?? 0), 0) : (cells.get(Number(column))?.[cellName(row)] ?? 0);
    const table: CrossTable = { rows, columns, value, columnTotals: nationalRows, insiderRows: nationalRows };
    return { table, hidden: protect ? protectTable(table) : new Set() };
  };
  return {
    people: make(prefectures, people, (p) => `p${p}`, true),
    verified: make(prefectures, completions, (p) => `verified|p${p}`, true),
    selfReported: make(prefectures, completions, (p) => `self-reported|p${p}`, true),
    types: make(catalog?.promotion.types.map((t) => t.id) ?? [], people, (t) => `t${t}`, false),
    roles: make(catalog?.promotion.roles.map((r) => r.id) ?? [], people, (r) => `r${r}`, false),
  };
}

/** People recorded without a residence prefecture ("00") get a row of their own, so the rows add up to the total. */
const UNKNOWN_PREFECTURE = { code: '00', ja: '都道府県不明', en: 'Prefecture unknown' } as const;

const MAX_PROJECTION_DAYS = 36_500;
const round = (n: number) => Math.round(n * 10) / 10;

export type ProgressReport = ReturnType<typeof buildProgressReport>;

import { aggregateIds } from '../data/aggregation';
import { PREFECTURES, TOKYO_AREA } from '../ids';
import { workStyle } from '../schemas/fields';
import { fiscalYearOf, TARGET_FIRST_FY } from '../time/japan-time';
import { CUMULATIVE, type CrossTable, cellKey, type HiddenCells, protectTable, publish } from './disclosure';
import { SMALL_CELL, SUPPRESSION_NOTE } from './report';

/**
 * Placements (both sides accepted a proposal) by workplace prefecture, work style and
 * fiscal year, and the flows from residence to workplace prefecture: the regional return
 * the policy aims at. Built from one aggregate item per fiscal year.
 */
export function placementAggregateIds(today: string): { years: number[]; ids: string[] } {
  const years: number[] = [];
  for (let fy = TARGET_FIRST_FY; fy <= fiscalYearOf(today); fy++) years.push(fy);
  return { years, ids: years.map(aggregateIds.placements) };
}

const STYLES = workStyle.options;

export function buildPlacementsReport(input: {
  byYear: Map<number, Record<string, number>>;
  fiscalYear?: number;
  prefecture?: string;
  suppressSmallCells: boolean;
  /** A center reading a public answer sees its own prefecture's cells exactly. */
  ownPrefecture?: string | undefined;
}) {
  const { byYear, fiscalYear, prefecture, suppressSmallCells, ownPrefecture } = input;
  const allYears = [...byYear.keys()].sort();
  const years = allYears.filter((fy) => fiscalYear === undefined || fy === fiscalYear);
  const total = (cell: string) => years.reduce((n, fy) => n + (byYear.get(fy)?.[cell] ?? 0), 0);
  const scoped = (cell: string) => (prefecture ? `w${prefecture}|${cell}` : cell);
  const column = fiscalYear === undefined ? CUMULATIVE : String(fiscalYear);
  const flowCells = (scopeYears: number[]) => {
    const flows = new Map<string, number>();
    for (const fy of scopeYears) {
      for (const [cell, n] of Object.entries(byYear.get(fy) ?? {})) if (FLOW.test(cell) && n !== 0) flows.set(cell, (flows.get(cell) ?? 0) + n);
    }
    return flows;
  };
  const flowList = (flows: Map<string, number>) =>
    [...flows]
      .map(([cell, n]) => {
        const [, from, to] = FLOW.exec(cell)!;
        return { from: from!, to: to!, placements: n };
      })
      .sort((a, b) => b.placements - a.placements || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const fromTokyoArea = (list: { from: string; to: string; placements: number }[]) =>
    list.filter((f) => isInTokyoArea(f.from) && !isInTokyoArea(f.to)).reduce((n, f) => n + f.placements, 0);
  const filters = { ...(fiscalYear !== undefined ? { fiscalYear } : {}), ...(prefecture ? { prefecture } : {}) };

  if (!suppressSmallCells) {
    const flows = flowList(flowCells(years)).filter((f) => !prefecture || f.to === prefecture);
    return {
      filters,
      placements: total(prefecture ? `w${prefecture}` : 'all') as Count,
      byFiscalYear: years.map((fy) => ({ fiscalYear: fy, placements: (byYear.get(fy)?.[prefecture ? `w${prefecture}` : 'all'] ?? 0) as Count })),
      byWorkStyle: STYLES.map((style) => ({ workStyle: style, placements: total(scoped(`s${style}`)) as Count })),
      byPrefecture: prefecture ? [] : PREFECTURES.map((p) => ({ code: p.code, ja: p.ja, en: p.en, placements: total(`w${p.code}`) as Count })),
      flows: flows.map((f) => ({ ...f, placements: f.placements as Count })),
      fromTokyoAreaToRegions: fromTokyoArea(flows) as Count,
      suppressed: null,
    };
  }

  // Fewer than SMALL_CELL placements in all: the public sees which cells are 0, no count.
  const grandTotal = allYears.reduce((n, fy) => n + (byYear.get(fy)?.all ?? 0), 0);
  if (grandTotal < SMALL_CELL) {
    const exact = !suppressSmallCells ? undefined : ownPrefecture;
    const veil = (n: number): Count => (n === 0 ? 0 : null);
    const own = flowList(flowCells(years)).filter((f) => f.to === exact && (!prefecture || f.to === prefecture));
    return {
      filters,
      placements: prefecture === exact && exact ? total(`w${exact}`) : veil(total(prefecture ? `w${prefecture}` : 'all')),
      byFiscalYear: years.map((fy) => {
        const n = byYear.get(fy)?.[prefecture ? `w${prefecture}` : 'all'] ?? 0;
        return { fiscalYear: fy, placements: prefecture && prefecture === exact ? n : veil(n) };
      }),
      byWorkStyle: prefecture ? [] : STYLES.map((style) => ({ workStyle: style, placements: veil(total(`s${style}`)) })),
      byPrefecture: prefecture
        ? []
        : PREFECTURES.map((p) => ({ code: p.code, ja: p.ja, en: p.en, placements: p.code === exact ? total(`w${p.code}`) : veil(total(`w${p.code}`)) })),
      flows:
        fiscalYear === undefined && !prefecture
          ? flowList(flowCells(allYears)).map((f) => ({ ...f, placements: f.to === exact ? f.placements : null }))
          : own.map((f) => ({ ...f, placements: f.placements as Count })),
      fromTokyoAreaToRegions: null,
      suppressed: `${SUPPRESSION_NOTE}; with fewer than ${SMALL_CELL} placements in all, no count is published`,
    };
  }

  // Public: the workplace and work-style tables are protected over all years; flows are
  // published for all years together only (their protection rests on the workplace totals).
  const tables = placementTables(allYears, byYear);
  const flowsProtection = tables.flows;
  const shown = (table: CrossTable, hidden: HiddenCells, row: string, col: string, own = false): Count =>
    own ? table.value(row, col) : publish(table, hidden, row, col);
  const workplace = (code: string, col: string) => shown(tables.workplace.table, tables.workplace.hidden, code, col, code === ownPrefecture);
  const allFlows = flowList(flowCells(allYears));
  const ownFlows = ownPrefecture ? flowList(flowCells(years)).filter((f) => f.to === ownPrefecture) : [];
  const flows =
    fiscalYear === undefined && !prefecture
      ? allFlows.map((f) => ({ ...f, placements: f.to === ownPrefecture || !flowsProtection.hidden.has(`${f.from}>${f.to}`) ? f.placements : null }))
      : ownFlows.filter((f) => !prefecture || f.to === prefecture);
  return {
    filters,
    placements: prefecture ? workplace(prefecture, column) : total('all'),
    byFiscalYear: years.map((fy) => ({ fiscalYear: fy, placements: prefecture ? workplace(prefecture, String(fy)) : (byYear.get(fy)?.all ?? 0) })),
    // Work style by prefecture is for admin and that prefecture's center.
    byWorkStyle: prefecture ? [] : STYLES.map((style) => ({ workStyle: style, placements: shown(tables.styles.table, tables.styles.hidden, style, column) })),
    byPrefecture: prefecture ? [] : PREFECTURES.map((p) => ({ code: p.code, ja: p.ja, en: p.en, placements: workplace(p.code, column) })),
    flows,
    fromTokyoAreaToRegions: fiscalYear === undefined && !prefecture && !flowsProtection.tokyoTotalHidden ? fromTokyoArea(allFlows) : null,
    suppressed: `${SUPPRESSION_NOTE}; flows and the total from the Tokyo area are published for all fiscal years together`,
  };
}

type Count = number | null;
const FLOW = /^f(\d\d)>(\d\d)$/;
const isInTokyoArea = (code: string) => (TOKYO_AREA as readonly string[]).includes(code);

// One pattern per aggregates read: answers built from the same read (every filter) reuse it.
const patterns = new WeakMap<Map<number, Record<string, number>>, ReturnType<typeof computePlacementTables>>();
function placementTables(years: number[], byYear: Map<number, Record<string, number>>) {
  const cached = patterns.get(byYear);
  if (cached) return cached;
  const tables = computePlacementTables(years, byYear);
  patterns.set(byYear, tables);
  return tables;
}

function computePlacementTables(years: number[], byYear: Map<number, Record<string, number>>) {
  const make = (rows: readonly string[], cellName: (row: string) => string, insiderRows: boolean) => {
    const value = (row: string, column: string) =>
      column === CUMULATIVE ? years.reduce((n, fy) => n + (byYear.get(fy)?.[cellName(row)] ?? 0), 0) : (byYear.get(Number(column))?.[cellName(row)] ?? 0);
    // A workplace with no placements lists no flows, which pins its total at 0.
    const pinnedAtZero = insiderRows ? (_row: string, column: string) => column === CUMULATIVE : undefined;
    const table: CrossTable = { rows, columns: years.map(String), value, columnTotals: true, insiderRows, ...(pinnedAtZero ? { pinnedAtZero } : {}) };
    return { table, hidden: protectTable(table) };
  };
  const workplace = make(
    PREFECTURES.map((p) => p.code),
    (p) => `w${p}`,
    true,
  );
  const flows = new Map<string, number>();
  for (const fy of years)
    for (const [cell, n] of Object.entries(byYear.get(fy) ?? {})) if (FLOW.test(cell) && n !== 0) flows.set(cell, (flows.get(cell) ?? 0) + n);
  const flowList = [...flows].map(([cell, n]) => {
    const [, from, to] = FLOW.exec(cell)!;
    return { from: from!, to: to!, placements: n };
  });
  return { workplace, styles: make(STYLES, (s) => `s${s}`, false), flows: protectFlows(flowList, workplace.hidden) };
}

/**
 * Flows (all years) are the parts of each workplace prefecture's cumulative figure, and
 * those from the Tokyo area to the regions add up to a published total: so within each
 * workplace prefecture, the hidden flows of each kind (from the Tokyo area, from elsewhere)
 * number 0 or at least 2, each able to move against another; a workplace figure that is
 * itself hidden hides all its flows, and needs a flow from outside the Tokyo area to move
 * with it. Where that cannot be had, the Tokyo-area total is hidden instead (and then
 * needs a hidden flow of each kind somewhere to move it).
 */
export function protectFlows(flows: readonly { from: string; to: string; placements: number }[], workplaceHidden: HiddenCells) {
  const attempt = (tokyoTotalHidden: boolean) => {
    const hidden = new Set<string>();
    const key = (f: { from: string; to: string }) => `${f.from}>${f.to}`;
    const kind = (f: { from: string; to: string }) => (!tokyoTotalHidden && isInTokyoArea(f.from) && !isInTokyoArea(f.to) ? 'tokyo' : 'other');
    for (const f of flows) if (f.placements > 0 && f.placements < SMALL_CELL) hidden.add(key(f));
    const byDestination = new Map<string, typeof flows>();
    for (const f of flows) byDestination.set(f.to, [...(byDestination.get(f.to) ?? []), f]);
    for (const [to, into] of byDestination) {
      if (workplaceHidden.has(cellKey(to, CUMULATIVE))) {
        for (const f of into) hidden.add(key(f));
        const kinds = new Set(into.map(kind));
        if (!kinds.has('other') || into.filter((f) => kind(f) === 'tokyo').length === 1) return undefined;
        continue;
      }
      for (const k of ['tokyo', 'other']) {
        const ofKind = into.filter((f) => kind(f) === k);
        if (ofKind.filter((f) => hidden.has(key(f))).length !== 1) continue;
        const partner = ofKind.filter((f) => !hidden.has(key(f)) && f.placements > 0).sort((a, b) => a.placements - b.placements)[0];
        if (!partner) return undefined;
        hidden.add(key(partner));
      }
    }
    if (tokyoTotalHidden) {
      // The hidden total must not equal what the published flows add up to.
      const tokyoFlows = flows.filter((f) => isInTokyoArea(f.from) && !isInTokyoArea(f.to) && f.placements > 0);
      const movable = tokyoFlows.some(
        (f) => hidden.has(key(f)) && flows.some((g) => g.to === f.to && !isInTokyoArea(g.from) && hidden.has(key(g)) && g.placements > 0),
      );
      if (!movable) {
        const f = tokyoFlows.find((t) => hidden.has(key(t))) ?? tokyoFlows[0];
        const g = f && flows.filter((x) => x.to === f.to && !isInTokyoArea(x.from) && x.placements > 0).sort((a, b) => a.placements - b.placements)[0];
        if (f && g) {
          hidden.add(key(f));
          hidden.add(key(g));
        }
      }
    }
    return { hidden, tokyoTotalHidden };
  };
  const tokyoTotal = flows.filter((f) => isInTokyoArea(f.from) && !isInTokyoArea(f.to)).reduce((n, f) => n + f.placements, 0);
  const small = tokyoTotal > 0 && tokyoTotal < SMALL_CELL;
  return (small ? undefined : attempt(false)) ?? attempt(true)!;
}

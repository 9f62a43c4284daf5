import { aggregateIds } from '../data/aggregation';
import { PREFECTURES, TOKYO_AREA } from '../ids';
import { workStyle } from '../schemas/fields';
import { fiscalYearOf, TARGET_FIRST_FY } from '../time/japan-time';
import { SMALL_CELL } from './report';

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
}) {
  const { byYear, fiscalYear, prefecture, suppressSmallCells } = input;
  const show = (n: number) => (suppressSmallCells && n > 0 && n < SMALL_CELL ? null : n);
  const years = [...byYear.keys()].filter((fy) => fiscalYear === undefined || fy === fiscalYear).sort();
  const total = (cell: string) => years.reduce((n, fy) => n + (byYear.get(fy)?.[cell] ?? 0), 0);
  const scoped = (cell: string) => (prefecture ? `w${prefecture}|${cell}` : cell);
  const flows = new Map<string, number>();
  for (const fy of years) {
    for (const [cell, n] of Object.entries(byYear.get(fy) ?? {})) {
      const match = /^f(\d\d)>(\d\d)$/.exec(cell);
      if (match && (!prefecture || match[2] === prefecture)) flows.set(cell, (flows.get(cell) ?? 0) + n);
    }
  }
  const flowList = [...flows]
    .map(([cell, n]) => {
      const [, from, to] = /^f(\d\d)>(\d\d)$/.exec(cell)!;
      return { from: from!, to: to!, placements: n };
    })
    .sort((a, b) => b.placements - a.placements || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const inTokyoArea = (code: string) => (TOKYO_AREA as readonly string[]).includes(code);
  const fromTokyoArea = flowList.filter((f) => inTokyoArea(f.from) && !inTokyoArea(f.to)).reduce((n, f) => n + f.placements, 0);
  return {
    filters: { ...(fiscalYear !== undefined ? { fiscalYear } : {}), ...(prefecture ? { prefecture } : {}) },
    placements: show(total(prefecture ? `w${prefecture}` : 'all')),
    byFiscalYear: years.map((fy) => ({ fiscalYear: fy, placements: show(byYear.get(fy)?.[prefecture ? `w${prefecture}` : 'all'] ?? 0) })),
    byWorkStyle: STYLES.map((style) => ({ workStyle: style, placements: show(total(scoped(`s${style}`))) })),
    byPrefecture: prefecture ? [] : PREFECTURES.map((p) => ({ code: p.code, ja: p.ja, en: p.en, placements: show(total(`w${p.code}`)) })),
    flows: flowList.map((f) => ({ ...f, placements: show(f.placements) })),
    fromTokyoAreaToRegions: show(fromTokyoArea),
    suppressed: suppressSmallCells ? `counts from 1 to ${SMALL_CELL - 1} are shown as null` : null,
  };
}

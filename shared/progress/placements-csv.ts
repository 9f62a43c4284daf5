import { PREFECTURES } from '../ids';
import { csvTable } from './csv-table';
import type { buildPlacementsReport } from './placements-report';

type PlacementsReport = ReturnType<typeof buildPlacementsReport>;

const names = new Map<string, { ja: string; en: string }>(PREFECTURES.map((p) => [p.code, { ja: p.ja, en: p.en }]));

/**
 * The placements report as one spreadsheet table: totals, fiscal years, work styles,
 * workplace prefectures, then each flow (residence > workplace) and the total from the
 * Tokyo area to the regions. The figures are the JSON answer's, suppressed cells empty.
 */
export function placementsCsv(report: PlacementsReport): string {
  const rows: (string | number | null)[][] = [['dimension', 'key', 'name_ja', 'name_en', 'placements']];
  rows.push(['total', report.filters.prefecture ?? 'all', '', '', report.placements]);
  for (const fy of report.byFiscalYear) rows.push(['fiscal_year', fy.fiscalYear, `${fy.fiscalYear}年度`, `FY${fy.fiscalYear}`, fy.placements]);
  for (const s of report.byWorkStyle) rows.push(['work_style', s.workStyle, '', '', s.placements]);
  for (const p of report.byPrefecture) rows.push(['workplace_prefecture', p.code, p.ja, p.en, p.placements]);
  for (const f of report.flows) {
    const from = names.get(f.from);
    const to = names.get(f.to);
    rows.push(['flow', `${f.from}>${f.to}`, `${from?.ja ?? f.from}→${to?.ja ?? f.to}`, `${from?.en ?? f.from} to ${to?.en ?? f.to}`, f.placements]);
  }
  rows.push([
    'from_tokyo_area_to_regions',
    '11-14',
    '東京圏（埼玉・千葉・東京・神奈川）から地方へ',
    'From the Tokyo area (11-14) to the regions',
    report.fromTokyoAreaToRegions,
  ]);
  return csvTable(rows);
}

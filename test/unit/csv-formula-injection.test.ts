import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import { buildPlacementsReport } from '../../shared/progress/placements-report';
import { placementsCsv } from '../../shared/progress/placements-csv';
import { progressCsv, progressXlsx } from '../../shared/progress/progress-file';
import { buildProgressReport } from '../../shared/progress/report';
import { csvTable } from '../../shared/progress/csv-table';
import { routeList } from '../../shared/http/routes';
import { buildMonthlySeries, monthlySeriesCsv } from '../../shared/progress/series';

/** A spreadsheet runs a cell starting =, +, -, @ (or a tab or CR) as a formula; the files show such text as text. */
describe('CSV files and spreadsheet formulas', () => {
  it('prefixes a text cell that a spreadsheet would run, and leaves numbers alone', () => {
    const csv = csvTable([['=1+2', '+81 3 1234', '-A', '@SUM(A1)', '\tcmd', '\rcmd', 'plain', '-5', '+3.5', -5, 0, null, 'a=b']]);
    expect(csv).toBe(`\uFEFF'=1+2,'+81 3 1234,'-A,'@SUM(A1),'\tcmd,"'\rcmd",plain,-5,+3.5,-5,0,,a=b\r\n`);
  });

  it('shows a catalog name starting with = as text in the progress CSV', () => {
    const catalog = structuredClone(bundledCatalogVersions().find((v) => v.version === '1.2')!);
    const role = catalog.promotion.roles[0]!;
    role.ja = '=HYPERLINK("https://evil.example","ロール")';
    role.en = '@SUM(1+1)*cmd|calc';
    const type = catalog.promotion.types[0]!;
    type.en = '-2+3';
    const report = buildProgressReport({
      filters: { ruleVersion: '2026.1' },
      today: '2026-12-02',
      people: new Map([[2025, { all: 40, [`r${role.id}`]: 12, [`t${type.id}`]: 15 }]]),
      completions: new Map(),
      catalog,
      rule: { provisional: false },
      suppressSmallCells: false,
    });
    const csv = progressCsv(report);
    expect(csv).toContain(`role,${role.id},"'=HYPERLINK(""https://evil.example"",""ロール"")",'@SUM(1+1)*cmd|calc,12,,`);
    expect(csv).toContain(`talent_type,${type.id},${type.ja},'-2+3,15,,`);
    expect(csv).not.toMatch(/(^|,)[=+@-][^0-9]/m);
    expect(progressCsv(report, 'ja')).toContain(`ロール,${role.id},"'=HYPERLINK(`);
  });

  it('keeps such a name a text cell, never a formula, in the workbook', async () => {
    const catalog = structuredClone(bundledCatalogVersions().find((v) => v.version === '1.2')!);
    const role = catalog.promotion.roles[0]!;
    role.ja = '=HYPERLINK("https://evil.example","ロール")';
    const report = buildProgressReport({
      filters: { ruleVersion: '2026.1' },
      today: '2026-12-02',
      people: new Map([[2025, { all: 40, [`r${role.id}`]: 12 }]]),
      completions: new Map(),
      catalog,
      rule: { provisional: false },
      suppressSmallCells: false,
    });
    const sheet = XLSX.read(await progressXlsx(report), { type: 'buffer' }).Sheets.progress!;
    const cells = Object.values(sheet).filter((cell): cell is XLSX.CellObject => typeof cell === 'object' && cell !== null && 't' in cell);
    const named = cells.find((cell) => cell.v === role.ja);
    expect(named).toMatchObject({ t: 's' });
    expect(cells.some((cell) => cell.f !== undefined)).toBe(false);
  });

  it('writes the series and placements files through the same writer', () => {
    const series = monthlySeriesCsv(
      buildMonthlySeries({ ruleVersion: '=cmd', rule: { provisional: true }, today: '2022-05-10', people: new Map(), suppressSmallCells: false }),
    );
    expect(series).toContain(",'=cmd,provisional");
    expect(placementsCsv(buildPlacementsReport({ byYear: new Map(), suppressSmallCells: false }))).toContain('\uFEFFdimension,key');
  });

  it('every route that answers CSV writes it through that writer', () => {
    const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    const csvRoutes = routeList.filter((spec) => Object.values(spec.responses).some((response) => 'text/csv' in (response.alternatives ?? {})));
    expect(csvRoutes.map((spec) => spec.id).sort()).toEqual(['getPlacementsReport', 'getProgress', 'getProgressSeries']);
    for (const spec of csvRoutes) {
      const source = read(`functions/${spec.handler}.ts`);
      const writers = [...source.matchAll(/from '\.\.\/shared\/progress\/([a-z-]+)'/g)].map((m) => m[1]!);
      expect(
        writers.some((module) => read(`shared/progress/${module}.ts`).includes("from './csv-table'")),
        `${spec.id} writes its CSV with csvTable`,
      ).toBe(true);
      expect(source, spec.id).not.toMatch(/join\(['"],/);
    }
  });
});

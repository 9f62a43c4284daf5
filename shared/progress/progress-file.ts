import { PREFECTURES } from '../ids';
import { csvTable } from './csv-table';
import { type ProgressReport, SMALL_CELL } from './report';

/**
 * The progress report as the file a prefecture's officer opens: a CSV (UTF-8 with BOM) or an
 * XLSX workbook, both from the same tables, in English or Japanese (column and dimension
 * names; codes and figures are the same in both). The counts table names each place beside
 * its code and marks a suppressed count X, explained in a note row; the pace figures are a
 * table of their own, each figure under its own column name.
 */
export type FileLanguage = 'en' | 'ja';
export const FILE_LANGUAGES: readonly FileLanguage[] = ['en', 'ja'];

/** What a suppressed count shows instead of a number (as in Japan's official statistics, where X is 秘匿). */
export const SUPPRESSED_MARK = 'X';

/** A cell, typed so that the workbook keeps codes as text and figures as numbers. */
export type Cell =
  | { kind: 'text'; value: string }
  /** Codes and ids (prefecture 01, fiscal year 2025): text, never a number a spreadsheet would reformat. */
  | { kind: 'code'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'suppressed' }
  | { kind: 'empty' };

export interface FileTable {
  sheet: string;
  header: string[];
  rows: Cell[][];
}

const text = (value: string | undefined): Cell => (value ? { kind: 'text', value } : { kind: 'empty' });
const code = (value: string | number): Cell => ({ kind: 'code', value: String(value) });
/** A count of the report: null there is a suppressed count. */
const count = (value: number | null): Cell => (value === null ? { kind: 'suppressed' } : { kind: 'number', value });
/** A pace figure: null there means none (no days left, no projection), not a secret. */
const figure = (value: number | string | null): Cell =>
  value === null ? { kind: 'empty' } : typeof value === 'number' ? { kind: 'number', value } : { kind: 'text', value };
const empty: Cell = { kind: 'empty' };

const WORDS = {
  en: {
    counts: 'progress',
    paceSheet: 'pace',
    columns: ['dimension', 'key', 'name_ja', 'name_en', 'qualified', 'completions_verified', 'completions_self_reported'],
    paceColumns: [
      'dimension',
      'target',
      'target_from',
      'target_to',
      'toward_target',
      'remaining',
      'days_left',
      'needed_per_day',
      'trailing_30_per_day',
      'trailing_90_per_day',
      'projected_date',
    ],
    counting_rule: 'counting_rule',
    total: 'total',
    fiscal_year: 'fiscal_year',
    prefecture: 'prefecture',
    talent_type: 'talent_type',
    role: 'role',
    pace: 'pace',
    provisional: 'provisional',
    official: 'official',
    note: 'note',
  },
  ja: {
    counts: '進捗',
    paceSheet: '進捗ペース',
    columns: ['区分', 'コード', '名称', '英語名称', '該当者数', '修了数（確認済み）', '修了数（自己申告）'],
    paceColumns: [
      '区分',
      '目標人数',
      '目標期間（開始）',
      '目標期間（終了）',
      '目標に計上される該当者数',
      '目標までの残り人数',
      '残り日数',
      '必要なペース（人／日）',
      '直近30日のペース（人／日）',
      '直近90日のペース（人／日）',
      '到達見込日',
    ],
    counting_rule: '計上ルール',
    total: '合計',
    fiscal_year: '年度',
    prefecture: '都道府県',
    talent_type: '人材類型',
    role: 'ロール',
    pace: '進捗ペース',
    provisional: '暫定',
    official: '確定',
    note: '注記',
  },
} as const;

const NOTE = {
  ja: `${SUPPRESSED_MARK}：秘匿。1〜${SMALL_CELL - 1}人の数値と、公表した合計から逆算できてしまう数値（補完秘匿）を秘匿しています。全国の数値は常に公表します。`,
  en: `${SUPPRESSED_MARK}: suppressed, counts from 1 to ${SMALL_CELL - 1} and other counts (complements) that could otherwise be recomputed from published totals; national figures are always published`,
};

const UNKNOWN_PLACE = { ja: '都道府県不明', en: 'Prefecture unknown' };

/** The report's tables: the counts (with the rule and, for a public answer, the note row) and, nationally, the pace. */
export function progressTables(report: ProgressReport, lang: FileLanguage): FileTable[] {
  const words = WORDS[lang];
  const rows: Cell[][] = [];
  // A spreadsheet travels without the API around it: the rule's status goes with the figures.
  rows.push([
    text(words.counting_rule),
    code(report.rule),
    text(report.provisional ? words.provisional : words.official),
    text(report.provisionalReason),
    empty,
    empty,
    empty,
  ]);
  const place = report.filters.prefecture;
  const placeName = place === undefined ? { ja: '全国', en: 'Japan' } : (PREFECTURES.find((p) => p.code === place) ?? UNKNOWN_PLACE);
  rows.push([
    text(words.total),
    code(place ?? 'all'),
    text(placeName.ja),
    text(placeName.en),
    count(report.qualified),
    count(report.completions.verified),
    count(report.completions.selfReported),
  ]);
  for (const fy of report.qualifiedByFiscalYear) {
    const c = report.completions.byFiscalYear.find((x) => x.fiscalYear === fy.fiscalYear);
    rows.push([
      text(words.fiscal_year),
      code(fy.fiscalYear),
      text(`${fy.fiscalYear}年度`),
      text(`FY${fy.fiscalYear}`),
      count(fy.qualified),
      c ? count(c.verified) : empty,
      c ? count(c.selfReported) : empty,
    ]);
  }
  for (const p of report.breakdowns.prefectures) {
    rows.push([text(words.prefecture), code(p.code), text(p.ja), text(p.en), count(p.qualified), count(p.completionsVerified), empty]);
  }
  for (const t of report.breakdowns.types) rows.push([text(words.talent_type), code(t.id), text(t.ja), text(t.en), count(t.qualified), empty, empty]);
  for (const r of report.breakdowns.roles) rows.push([text(words.role), code(r.id), text(r.ja), text(r.en), count(r.qualified), empty, empty]);
  // A public answer marks its suppressed counts X: the note row says so, as the JSON's `suppressed` does.
  if (report.suppressed) rows.push([text(words.note), code('suppressed'), text(NOTE.ja), text(NOTE.en), empty, empty, empty]);
  const tables: FileTable[] = [{ sheet: words.counts, header: [...words.columns], rows }];
  if (report.pace) {
    const p = report.pace;
    tables.push({
      sheet: words.paceSheet,
      header: [...words.paceColumns],
      rows: [
        [
          text(words.pace),
          figure(p.target),
          figure(p.targetWindow.from),
          figure(p.targetWindow.to),
          figure(p.towardTarget),
          figure(p.remaining),
          figure(p.daysLeft),
          figure(p.neededPerDay),
          figure(p.trailing30PerDay),
          figure(p.trailing90PerDay),
          figure(p.projectedDate),
        ],
      ],
    });
  }
  return tables;
}

const csvValue = (cell: Cell): string | number | null => (cell.kind === 'suppressed' ? SUPPRESSED_MARK : cell.kind === 'empty' ? null : cell.value);

/** The tables one after another, a blank row between them (csvTable neutralises formulas). */
export function progressCsv(report: ProgressReport, lang: FileLanguage = 'en'): string {
  const rows: (string | number | null)[][] = [];
  for (const [i, table] of progressTables(report, lang).entries()) {
    if (i > 0) rows.push([]);
    rows.push(table.header, ...table.rows.map((row) => row.map(csvValue)));
  }
  return csvTable(rows);
}

/**
 * The tables as an XLSX workbook, a sheet each: codes are text cells (formatted @, so
 * editing one keeps its leading zero), counts and figures numbers, a suppressed count the
 * text X. exceljs is loaded on the first workbook asked for, so JSON and CSV answers never
 * pay for it.
 */
export async function progressXlsx(report: ProgressReport, lang: FileLanguage = 'en'): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'kanryu';
  for (const table of progressTables(report, lang)) {
    const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.header).font = { bold: true };
    for (const row of table.rows) {
      const added = sheet.addRow(row.map((cell) => (cell.kind === 'suppressed' ? SUPPRESSED_MARK : cell.kind === 'empty' ? null : cell.value)));
      row.forEach((cell, i) => {
        const target = added.getCell(i + 1);
        if (cell.kind === 'code') target.numFmt = '@';
        if (cell.kind === 'suppressed') target.alignment = { horizontal: 'right' };
      });
    }
    table.header.forEach((name, i) => {
      sheet.getColumn(i + 1).width = Math.max(10, Math.min(40, name.length * 2 + 2));
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

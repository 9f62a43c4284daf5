import { beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { startScheduler } from '../../infra/local/scheduler';
import { runAggregation } from '../../shared/progress/aggregator';
import { call, tokenFor } from '../support/api';
import { adminToken, centerToken, createLearner, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

let provider: string;
let certification: string;

/** n learners living in `municipality` who each complete the certification course (verified). */
async function qualify(prefix: string, n: number, municipality: string, completedOn = '2025-06-01') {
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${i}`;
    await createLearner(id, { residence: { municipality } }, { linkProviders: ['prov-progress'] });
    const res = await call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId: certification, completedOn } });
    expect(res.status).toBe(201);
  }
}

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-progress');
  certification = await registerCourse(provider, { title: 'ITパスポート', certification: true, skills: [{ skill: 'technology-trends', level: 'd' }] });
  await qualify('tottori', 3, '312011'); // 鳥取市
  await qualify('osaka', 12, '271004'); // 大阪市
  await runAggregation();
}, 120_000);

describe('GET /v1/progress', () => {
  it('counts people who qualified and completions, by prefecture and fiscal year, against the target', async () => {
    const res = await call('GET', '/v1/progress', { token: await adminToken() });
    expect(res.status).toBe(200);
    const report = res.json;
    expect(report.qualified).toBe(15);
    expect(report.completions).toMatchObject({ verified: 15, selfReported: 0 });
    expect(report.qualifiedByFiscalYear.find((y: { fiscalYear: number }) => y.fiscalYear === 2025).qualified).toBe(15);
    expect(report.breakdowns.prefectures).toHaveLength(48);
    expect(report.breakdowns.prefectures.find((p: { code: string }) => p.code === '27').qualified).toBe(12);
    expect(report.breakdowns.prefectures.find((p: { code: string }) => p.code === '31').qualified).toBe(3);
    expect(report.pace).toMatchObject({ target: 2_300_000, remaining: 2_300_000 - 15 });
    expect(report.pace.daysLeft).toBeGreaterThan(0);
    expect(report.pace.neededPerDay).toBe(Math.ceil((2_300_000 - 15) / report.pace.daysLeft));
  });

  it('suppresses counts under 10 in public answers', async () => {
    const report = (await call('GET', '/v1/progress')).json;
    expect(report.breakdowns.prefectures.find((p: { code: string }) => p.code === '31').qualified).toBeNull();
    expect(report.breakdowns.prefectures.find((p: { code: string }) => p.code === '27').qualified).toBe(12);
    expect(report.suppressed).toContain('null');
    const tottori = (await call('GET', '/v1/progress?prefecture=31')).json;
    expect(tottori.qualified).toBeNull();
  });

  it('hides more than the one small row, so the national figure minus the others does not give it', async () => {
    type Row = { code: string; qualified: number | null };
    const report = (await call('GET', '/v1/progress')).json;
    const hidden = report.breakdowns.prefectures.filter((p: Row) => p.qualified === null);
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    // The hidden rows add up to the national figure minus the others, but no one of them is given.
    const shown = report.breakdowns.prefectures.reduce((n: number, p: Row) => n + (p.qualified ?? 0), 0);
    expect(report.qualified - shown).toBeGreaterThanOrEqual(3);
    expect(report.pace.remaining).toBe(2_300_000 - report.pace.towardTarget);
  });

  it("shows a center its own prefecture's row exactly in the national answer, and the public figures elsewhere", async () => {
    type Row = { code: string; qualified: number | null };
    const center = (await call('GET', '/v1/progress', { token: await centerToken('31') })).json;
    const anyone = (await call('GET', '/v1/progress')).json;
    expect(center.breakdowns.prefectures.find((p: Row) => p.code === '31').qualified).toBe(3);
    for (const row of center.breakdowns.prefectures.filter((p: Row) => p.code !== '31')) {
      expect(row).toEqual(anyone.breakdowns.prefectures.find((p: Row) => p.code === row.code));
    }
  });

  it("opens prefecture x type cells to admin and that prefecture's center only", async () => {
    const url = '/v1/progress?prefecture=31&type=software-engineer';
    expect((await call('GET', url)).status).toBe(403);
    expect((await call('GET', url, { token: await centerToken('27') })).status).toBe(403);
    const own = await call('GET', '/v1/progress?prefecture=31', { token: await centerToken('31') });
    expect(own.status).toBe(200);
    expect(own.json.qualified).toBe(3);
    expect((await call('GET', url, { token: await centerToken('31') })).status).toBe(200);
  });

  it('refuses bad filters with 4xx', async () => {
    expect((await call('GET', '/v1/progress?prefecture=48')).status).toBe(400);
    expect((await call('GET', '/v1/progress?fiscalYear=2019')).status).toBe(400);
    expect((await call('GET', '/v1/progress?type=designer&role=data-engineer')).status).toBe(422);
    expect((await call('GET', '/v1/progress?role=astronaut')).status).toBe(422);
    expect((await call('GET', '/v1/progress?rule=1999.9')).status).toBe(422);
    expect((await call('GET', '/v1/progress', { token: 'not-a-token' })).status).toBe(401);
  });

  it('gives the same figures as CSV a spreadsheet opens', async () => {
    const admin = await adminToken();
    const json = (await call('GET', '/v1/progress', { token: admin })).json;
    const csv = await call('GET', '/v1/progress', { token: admin, headers: { accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.text
      .slice(1)
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(rows[0]).toEqual(['dimension', 'key', 'name_ja', 'name_en', 'qualified', 'completions_verified', 'completions_self_reported']);
    expect(rows.find((r) => r[0] === 'total')?.[4]).toBe(String(json.qualified));
    expect(rows.find((r) => r[0] === 'prefecture' && r[1] === '27')).toEqual(['prefecture', '27', '大阪府', 'Osaka', '12', '12', '']);
    expect(rows.filter((r) => r[0] === 'prefecture')).toHaveLength(48);
    expect(rows.find((r) => r[0] === 'prefecture' && r[1] === '00')?.slice(0, 4)).toEqual(['prefecture', '00', '都道府県不明', 'Prefecture unknown']);
  });

  it('says in JSON and in CSV that the counting rule is provisional, and why', async () => {
    const json = (await call('GET', '/v1/progress')).json;
    expect(json).toMatchObject({ rule: '2026.2', provisional: true });
    expect(json.provisionalReason).toContain('not published');
    const csv = (await call('GET', '/v1/progress', { headers: { accept: 'text/csv' } })).text;
    const line = csv.split('\r\n').find((l) => l.startsWith('counting_rule,'));
    expect(line).toMatch(/^counting_rule,2026\.2,provisional,"?The official counting rule/);
  });

  it('shows a new qualification within 60 seconds through the local scheduler', async () => {
    const stop = startScheduler();
    try {
      await qualify('fresh', 1, '011002', '2025-07-01');
      const admin = await adminToken();
      const deadline = Date.now() + 60_000;
      let qualified = 0;
      while (Date.now() < deadline && qualified < 16) {
        qualified = (await call('GET', '/v1/progress', { token: admin })).json.qualified;
        if (qualified < 16) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(qualified).toBe(16);
    } finally {
      await stop();
    }
  }, 90_000);

  it('reads a constant number of items whatever the number of learners', async () => {
    const { reportAggregateIds } = await import('../../shared/progress/report');
    const ids = reportAggregateIds('2026.1', '2026-11-29');
    expect(ids.people).toHaveLength(5);
    expect(ids.completions).toHaveLength(5);
  });
});

describe('who may call', () => {
  it('lets anyone read national totals without a token', async () => {
    const anyone = await call('GET', '/v1/progress');
    expect(anyone.status).toBe(200);
    const learner = await call('GET', '/v1/progress', { token: await tokenFor({ sub: 'l', role: 'learner' }) });
    expect(learner.status).toBe(200);
    expect(learner.json.qualified).toBe(anyone.json.qualified);
  });

  it("lets shared caches keep public answers for 20 s, say what they vary on, and keep no token's answer", async () => {
    const admin = await adminToken();
    for (const [path, vary] of [
      ['/v1/progress', 'accept, accept-language, authorization'],
      ['/v1/progress/placements', 'accept, authorization'],
      ['/v1/progress/series?by=month', 'accept, authorization'],
    ] as const) {
      const anyone = await call('GET', path);
      expect(anyone.headers, path).toMatchObject({ 'cache-control': 'public, max-age=20', vary });
      const staff = await call('GET', path, { token: admin });
      expect(staff.headers, path).toMatchObject({ 'cache-control': 'private, no-store', vary });
    }
    const csv = await call('GET', '/v1/progress', { headers: { accept: 'text/csv' } });
    expect(csv.headers).toMatchObject({ 'cache-control': 'public, max-age=20', vary: 'accept, accept-language, authorization' });
  });
});

describe('the progress files an officer opens (CSV and XLSX)', () => {
  const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  type Grid = (string | number | null)[][];
  /** The rows of each sheet, as a spreadsheet reads them (SheetJS reads both files the way Excel does). */
  const sheetsOf = (book: XLSX.WorkBook): Grid[] =>
    book.SheetNames.map((name) =>
      XLSX.utils.sheet_to_json<(string | number | null)[]>(book.Sheets[name]!, { header: 1, raw: true, defval: null, blankrows: true }),
    );
  const readXlsx = (bytes: Buffer) => sheetsOf(XLSX.read(bytes, { type: 'buffer' }));
  /** The CSV's two tables (counts, then pace after a blank row), read as Excel opens a UTF-8 CSV with BOM. */
  const readCsv = (text: string): Grid[] => {
    const [rows] = sheetsOf(XLSX.read(text.replace(/^\uFEFF/, ''), { type: 'string', raw: true }));
    const blank = rows!.findIndex((row) => row.every((cell) => cell === null || cell === ''));
    return blank < 0 ? [rows!] : [rows!.slice(0, blank), rows!.slice(blank + 1)];
  };
  /** A count as the file shows it: X is a count the JSON withholds (null); an empty cell is none. */
  const countOf = (cell: string | number | null | undefined) =>
    cell === 'X' ? null : cell === null || cell === undefined || cell === '' ? undefined : Number(cell);

  /** Every count and pace figure of the JSON answer must be in the file, the same. */
  function expectSameFigures(json: any, [counts, pace]: Grid[], context: string) {
    const row = (dimension: string, key: string | number) => counts!.find((r) => r[0] === dimension && String(r[1]) === String(key));
    // Figures compared as the text the file shows (the CSV is read as text, the workbook typed).
    const cells = (dimension: string, key: string | number) => (row(dimension, key) ?? []).slice(4, 7).map(countOf);
    expect(cells('total', json.filters.prefecture ?? 'all'), context).toEqual([json.qualified, json.completions.verified, json.completions.selfReported]);
    for (const fy of json.qualifiedByFiscalYear) {
      const c = json.completions.byFiscalYear.find((x: { fiscalYear: number }) => x.fiscalYear === fy.fiscalYear);
      expect(cells('fiscal_year', fy.fiscalYear), `${context} FY${fy.fiscalYear}`).toEqual([fy.qualified, c.verified, c.selfReported]);
    }
    for (const p of json.breakdowns.prefectures) {
      expect(cells('prefecture', p.code).slice(0, 2), `${context} ${p.code}`).toEqual([p.qualified, p.completionsVerified]);
    }
    for (const t of json.breakdowns.types) expect(cells('talent_type', t.id)[0], `${context} ${t.id}`).toEqual(t.qualified);
    for (const r of json.breakdowns.roles) expect(cells('role', r.id)[0], `${context} ${r.id}`).toEqual(r.qualified);
    if (json.pace) {
      const [header, values] = pace!;
      const figure = (column: string) => String(values![header!.indexOf(column)]);
      expect(figure('target')).toBe(String(json.pace.target));
      expect(figure('toward_target')).toBe(String(json.pace.towardTarget));
      expect(figure('remaining')).toBe(String(json.pace.remaining));
      expect(figure('days_left')).toBe(String(json.pace.daysLeft));
      expect(figure('trailing_30_per_day')).toBe(String(json.pace.trailing30PerDay));
      expect(figure('target_from')).toBe(json.pace.targetWindow.from);
    } else expect(pace, context).toBeUndefined();
  }

  it('gives the same figures in the CSV and the workbook as in the JSON, publicly and to admin', async () => {
    const admin = await adminToken();
    for (const [query, token] of [
      ['', undefined],
      ['?prefecture=27', undefined],
      ['?fiscalYear=2025', undefined],
      ['', admin],
      ['?prefecture=31&role=data-engineer', admin],
    ] as const) {
      const context = `${query} ${token ? 'admin' : 'public'}`;
      const json = (await call('GET', `/v1/progress${query}`, { token })).json;
      const csv = await call('GET', `/v1/progress${query}`, { token, headers: { accept: 'text/csv' } });
      expect(csv.status, csv.text).toBe(200);
      expectSameFigures(json, readCsv(csv.text), `CSV ${context}`);
      const xlsx = await call('GET', `/v1/progress${query}`, { token, headers: { accept: XLSX_TYPE } });
      expect(xlsx.status, context).toBe(200);
      expect(xlsx.headers['content-type']).toBe(XLSX_TYPE);
      expect(xlsx.headers['content-disposition']).toBe('attachment; filename="kanryu-progress.xlsx"');
      expectSameFigures(json, readXlsx(xlsx.bytes), `XLSX ${context}`);
    }
  });

  it('marks a suppressed count X and explains it in a note row; an exact answer has neither', async () => {
    const [counts] = readCsv((await call('GET', '/v1/progress', { headers: { accept: 'text/csv' } })).text);
    expect(counts!.find((r) => r[0] === 'prefecture' && r[1] === '31')?.[4]).toBe('X');
    const note = counts!.find((r) => r[0] === 'note');
    expect(note?.[1]).toBe('suppressed');
    expect(note?.[3]).toMatch(/^X: suppressed/);
    const [exact] = readCsv((await call('GET', '/v1/progress', { token: await adminToken(), headers: { accept: 'text/csv' } })).text);
    expect(exact!.some((r) => r.includes('X'))).toBe(false);
    expect(exact!.find((r) => r[0] === 'note')).toBeUndefined();
  });

  it('keeps codes as text and counts as numbers in the workbook', async () => {
    const book = XLSX.read((await call('GET', '/v1/progress', { headers: { accept: XLSX_TYPE } })).bytes, { type: 'buffer' });
    expect(book.SheetNames).toEqual(['progress', 'pace']);
    const sheet = book.Sheets.progress!;
    const rows = XLSX.utils.sheet_to_json<(string | number | null)[]>(sheet, { header: 1, raw: true, defval: null });
    const hokkaido = rows.findIndex((r) => r[0] === 'prefecture' && r[1] === '01');
    expect(hokkaido).toBeGreaterThan(0);
    const cell = (column: string) => sheet[`${column}${hokkaido + 1}`];
    expect(cell('B')).toMatchObject({ t: 's', v: '01' });
    const osaka = rows.findIndex((r) => r[0] === 'prefecture' && r[1] === '27');
    expect(sheet[`E${osaka + 1}`]).toMatchObject({ t: 'n', v: 12 });
    const tottori = rows.findIndex((r) => r[0] === 'prefecture' && r[1] === '31');
    expect(sheet[`E${tottori + 1}`]).toMatchObject({ t: 's', v: 'X' });
    const fiscalYear = rows.findIndex((r) => r[0] === 'fiscal_year');
    expect(sheet[`B${fiscalYear + 1}`]).toMatchObject({ t: 's' });
  });

  it('writes Japanese names by Accept-Language (q-values weighed) unless ?lang= says otherwise, and varies on it', async () => {
    const header = async (headers: Record<string, string>, query = '') => {
      const res = await call('GET', `/v1/progress${query}`, { headers: { accept: 'text/csv', ...headers } });
      expect(res.headers.vary).toBe('accept, accept-language, authorization');
      return readCsv(res.text)[0]![0]![0];
    };
    expect(await header({ 'accept-language': 'ja' })).toBe('区分');
    expect(await header({ 'accept-language': 'ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7' })).toBe('区分');
    expect(await header({ 'accept-language': 'en;q=0.9, ja;q=0.5' })).toBe('dimension');
    expect(await header({ 'accept-language': 'ja;q=0, *' })).toBe('dimension');
    expect(await header({ 'accept-language': 'fr' })).toBe('dimension');
    expect(await header({})).toBe('dimension');
    expect(await header({ 'accept-language': 'ja' }, '?lang=en')).toBe('dimension');
    expect(await header({ 'accept-language': 'en' }, '?lang=ja')).toBe('区分');
    const book = XLSX.read((await call('GET', '/v1/progress', { headers: { accept: XLSX_TYPE, 'accept-language': 'ja' } })).bytes, { type: 'buffer' });
    expect(book.SheetNames).toEqual(['進捗', '進捗ペース']);
    // A plain link (the progress page) asks for the workbook by ?format=xlsx.
    expect((await call('GET', '/v1/progress?format=xlsx&lang=ja')).headers['content-type']).toBe(XLSX_TYPE);
  });
});

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../../infra/page/build';
import { pageServer } from '../../infra/local/page';
import { startHttpServer } from '../../infra/local/server';
import { runAggregation } from '../../shared/progress/aggregator';
import { call, checkedInvoke, servedViolations } from '../support/api';
import { adminToken, createLearner, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

const PROVIDER_ID = 'prov-page';
/**
 * What the progress page reads (issue 18): the monthly series, the CSV forms of the
 * progress and placements answers for its "CSV" links, and the page itself on the local
 * host. The page in a real browser: test/page/progress-page.browser.test.ts.
 */
let provider: string;
let certification: string;

async function qualify(prefix: string, n: number, municipality: string, completedOn: string) {
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${i}`;
    const learner = await createLearner(id, { residence: { municipality } });
    // A provider reports completions only for learners who linked themselves to it (issue 11).
    expect((await call('PUT', `/v1/learners/me/providers/${PROVIDER_ID}`, { token: learner })).status).toBeLessThan(300);
    const res = await call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId: certification, completedOn } });
    expect(res.status, res.text).toBe(201);
  }
}

const csvRows = (text: string) =>
  text
    .slice(1)
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken(PROVIDER_ID);
  certification = await registerCourse(provider, { title: 'ITパスポート', certification: true, skills: [{ skill: 'technology-trends', level: 'd' }] });
  await qualify('page-tottori', 4, '312011', '2024-05-10'); // 鳥取市: a small month
  await qualify('page-osaka', 12, '271004', '2025-06-01'); // 大阪市
  await runAggregation();
}, 120_000);

describe('GET /v1/progress/series?by=month', () => {
  it('gives admin people qualified by month since April 2022, and cumulatively, matching the report', async () => {
    const admin = await adminToken();
    const res = await call('GET', '/v1/progress/series?by=month', { token: admin });
    expect(res.status, res.text).toBe(200);
    const series = res.json;
    const report = (await call('GET', '/v1/progress', { token: admin })).json;
    expect(series).toMatchObject({ by: 'month', rule: report.rule, provisional: report.provisional, target: 2_300_000, suppressed: null });
    expect(series.months[0].month).toBe('2022-04');
    expect(series.months.at(-1).month).toBe(report.today.slice(0, 7));
    expect(series.months.find((m: { month: string }) => m.month === '2024-05')).toEqual({ month: '2024-05', qualified: 4, cumulative: 4 });
    expect(series.months.find((m: { month: string }) => m.month === '2025-06')).toEqual({ month: '2025-06', qualified: 12, cumulative: 16 });
    expect(series.months.at(-1).cumulative).toBe(report.qualified);
  });

  it('keeps the public from recovering a small month by subtraction, and publishes the figures the report publishes', async () => {
    const res = await call('GET', '/v1/progress/series?by=month');
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'cache-control': 'public, max-age=20', vary: 'accept, authorization' });
    const months: { month: string; qualified: number | null; cumulative: number | null }[] = res.json.months;
    const small = months.find((m) => m.month === '2024-05')!;
    expect(small).toEqual({ month: '2024-05', qualified: null, cumulative: null });
    const before = months.findIndex((m) => m.month === '2024-05');
    expect(months[before - 1]!.cumulative === null || months[before]!.cumulative === null).toBe(true);
    for (const [i, m] of months.entries()) {
      if (m.qualified !== null) expect(m.qualified === 0 || m.qualified >= 10, m.month).toBe(true);
      if (m.qualified !== null && i > 0) expect(m.cumulative! - months[i - 1]!.cumulative!, m.month).toBe(m.qualified);
    }
    const report = (await call('GET', '/v1/progress')).json;
    expect(months.at(-1)!.cumulative).toBe(report.qualified);
    expect(res.json.suppressed).toContain('null');
  });

  it('answers a CSV table by Accept or by format=csv (for a plain link)', async () => {
    const byAccept = await call('GET', '/v1/progress/series?by=month', { headers: { accept: 'text/csv' } });
    const byLink = await call('GET', '/v1/progress/series?by=month&format=csv');
    for (const csv of [byAccept, byLink]) {
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain('kanryu-progress-by-month.csv');
      const rows = csvRows(csv.text);
      expect(rows[0]).toEqual(['month', 'qualified_in_month', 'qualified_cumulative', 'counting_rule', 'rule_status']);
      expect(rows.find((r) => r[0] === '2024-05')!.slice(1, 3)).toEqual(['', '']);
    }
    expect(byLink.text).toBe(byAccept.text);
    const json = await call('GET', '/v1/progress/series?by=month&format=json', { headers: { accept: 'text/csv' } });
    expect(json.headers['content-type']).toContain('application/json');
  });

  it('refuses a missing or unknown series and an unknown rule with 4xx', async () => {
    expect((await call('GET', '/v1/progress/series')).status).toBe(400);
    expect((await call('GET', '/v1/progress/series?by=day')).status).toBe(400);
    expect((await call('GET', '/v1/progress/series?by=month&format=xml')).status).toBe(400);
    expect((await call('GET', '/v1/progress/series?by=month&rule=1999.9')).status).toBe(422);
    expect((await call('GET', '/v1/progress/series?by=month', { token: 'not-a-token' })).status).toBe(401);
  });
});

describe('CSV links for the page', () => {
  it('gives the progress table by format=csv as by Accept', async () => {
    const byLink = await call('GET', '/v1/progress?format=csv');
    const byAccept = await call('GET', '/v1/progress', { headers: { accept: 'text/csv' } });
    expect(byLink.status).toBe(200);
    expect(byLink.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byLink.text).toBe(byAccept.text);
  });

  it('gives placements and flows as a CSV table with the JSON answer figures', async () => {
    const json = (await call('GET', '/v1/progress/placements')).json;
    for (const res of [
      await call('GET', '/v1/progress/placements?format=csv'),
      await call('GET', '/v1/progress/placements', { headers: { accept: 'text/csv' } }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers).toMatchObject({ 'cache-control': 'public, max-age=20', vary: 'accept, authorization' });
      const rows = csvRows(res.text);
      expect(rows[0]).toEqual(['dimension', 'key', 'name_ja', 'name_en', 'placements']);
      expect(rows.find((r) => r[0] === 'total')![4]).toBe(String(json.placements ?? ''));
      expect(rows.filter((r) => r[0] === 'workplace_prefecture')).toHaveLength(47);
      expect(rows.find((r) => r[0] === 'workplace_prefecture' && r[1] === '31')!.slice(2, 4)).toEqual(['鳥取県', 'Tottori']);
      expect(rows.filter((r) => r[0] === 'flow')).toHaveLength(json.flows.length);
      expect(rows.find((r) => r[0] === 'from_tokyo_area_to_regions')![4]).toBe(String(json.fromTokyoAreaToRegions ?? ''));
    }
  });
});

describe('the page on the local host', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // The checked invoker: what the page (and fetch) receive is held to /openapi.json like every `call`.
    server = await startHttpServer(0, checkedInvoke, pageServer(await buildPage()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  // The server turns a violation into a bare 500; this names the answer that broke the document.
  afterEach(() => expect(servedViolations.splice(0)).toEqual([]));

  it('serves the page at / and /progress with its security headers, and its bundled script and style', async () => {
    for (const path of ['/', '/progress']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const html = await res.text();
      expect(html).toContain('<html lang="ja">');
      const script = /src="(\/assets\/app-\w+\.js)"/.exec(html)![1]!;
      const style = /href="(\/assets\/app-\w+\.css)"/.exec(html)![1]!;
      const js = await fetch(`${base}${script}`);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).toContain('immutable');
      // The performance budget: the whole script (uPlot included) under 120 KB before compression.
      expect((await js.arrayBuffer()).byteLength).toBeLessThan(120 * 1024);
      expect((await fetch(`${base}${style}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    }
  });

  it('still answers the API beside it, and a problem for a path that is neither', async () => {
    const progress = await fetch(`${base}/v1/progress`);
    expect(progress.status).toBe(200);
    expect(progress.headers.get('content-type')).toContain('application/json');
    const missing = await fetch(`${base}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });
});

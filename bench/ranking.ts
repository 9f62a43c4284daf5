import { performance } from 'node:perf_hooks';
import { createApi, expectStatus } from './lib/api';
import { prepareBenchEnvironment } from './lib/environment';
import { benchCourses, openingBody } from './lib/fixtures';
import { Meter, totalsOf, type Totals } from './lib/meter';
import type { SectionResult } from './lib/results';
import { Section, progress } from './lib/section';
import { count, kib, median, p95, ratio } from './lib/stats';
import { mulberry32 } from './lib/matching-generate';
import { db } from '../shared/data/client';
import { seedBundledCatalog } from '../shared/domain/catalog-seed';
import { bundledCatalogVersions } from '../shared/catalog/bundled';
import { putPoolEntry, poolEntries } from '../shared/data/pools';
import { putLearnerProfile } from '../shared/data/learners';
import { getOpening } from '../shared/data/openings';
import { rankEntries, poolsOfOpening } from '../shared/domain/candidates';
import { compactStandings } from '../shared/domain/standing';
import { forEachConcurrently } from '../shared/concurrency';
import { PREFECTURE_CODES } from '../shared/ids';
import { addDays, japanDate } from '../shared/time/japan-time';

/**
 * Candidate ranking: one opening in Tottori (31) against 1k, 10k and 50k pool entries
 * written directly (shared/data/pools.ts putPoolEntry), GET /v1/openings/{id}/candidates
 * through the in-process invoker: latency and the data it reads.
 */
const SIZES = (process.env.BENCH_RANKING_SIZES ?? '1000,10000,50000').split(',').map(Number);
const REQUESTS: Record<number, number> = { 1000: 30, 10000: 12, 50000: 6 };
/** The bare pool read (the same-run baseline) is timed after the first few requests only. */
const BARE_READS = 4;
const EMPLOYER = '7123456789012';
const WRITE_CONCURRENCY = 32;

export async function run(): Promise<SectionResult> {
  const section = new Section('ranking', 'Candidate ranking (GET /v1/openings/{id}/candidates)');
  const env = await prepareBenchEnvironment();
  try {
    const meter = new Meter().install(db);
    const call = await createApi();

    const now = new Date();
    const today = japanDate(now);
    await seedBundledCatalog(now);
    const catalog = bundledCatalogVersions()[0]!;

    // The opening, through the API like test/api/matching.test.ts.
    const employer = await env.token({ sub: 'bench-employer', role: 'employer', org: EMPLOYER });
    const center = await env.token({ sub: 'center-31', role: 'center', prefecture: '31' });
    expectStatus(
      await call('PUT', '/v1/organisations/me', {
        token: employer,
        body: { kind: 'employer', name: '因幡データ株式会社', corporateNumber: EMPLOYER, headOffice: '312011' },
      }),
      201,
      'organisation',
    );
    const created = expectStatus(
      await call('POST', '/v1/openings', {
        token: employer,
        body: openingBody({
          title: 'データエンジニア（鳥取本社）',
          catalogVersion: catalog.version,
          headcount: 2,
          period: { start: addDays(today, 120) },
          deadline: addDays(today, 60),
        }),
      }),
      201,
      'opening',
    );
    const openingId = created.json.openingId as string;
    expectStatus(await call('PATCH', `/v1/openings/${openingId}`, { token: employer, body: { status: 'open' } }), 200, 'open the opening');
    const opening = (await getOpening(openingId))!;
    const [pool] = poolsOfOpening(opening) as [string];

    // Realistic skill summaries: the product's own derivation over 1–3 random courses (as
    // scripts/seed-demo.ts gives learners), 400 distinct ones shared out among the entries.
    const random = mulberry32(31);
    const courses = benchCourses(catalog, 20, now.toISOString()).map((c) => c.course);
    const coverage = new Map(
      courses.map((c) => [
        c.courseId,
        { courseId: c.courseId, catalogVersion: c.catalogVersion, certification: c.certification, literacyItems: c.literacyItems, skills: c.skills },
      ]),
    );
    const catalogs = new Map([[catalog.version, catalog]]);
    const summaries = Array.from({ length: 400 }, (_, i) => {
      const n = 1 + Math.floor(random() * 3);
      const facts = Array.from({ length: n }, (_, k) => {
        const course = courses[Math.floor(random() * courses.length)]!;
        return {
          completionId: `${i}-${k}`,
          courseId: course.courseId,
          completedOn: addDays(today, -Math.floor(random() * 900)),
          status: (random() < 0.7 ? 'verified' : 'self-reported') as 'verified' | 'self-reported',
        };
      });
      return compactStandings(catalogs, facts, coverage);
    });
    const styles = ['full-time', 'side-job', 'dispatch', 'remote'] as const;
    const entryFor = (n: number) => {
      const summary = summaries[n % summaries.length]!;
      const lives = random() < 0.5 ? '31' : PREFECTURE_CODES[Math.floor(random() * PREFECTURE_CODES.length)]!;
      const workStyles = styles.filter((s) => (s === 'full-time' ? random() < 0.7 : random() < 0.3));
      return {
        learnerId: `rank-${String(n).padStart(6, '0')}`,
        residencePrefecture: lives,
        workPrefectures: lives === '31' ? ['31'] : ['31', lives].sort(),
        workStyles: workStyles.length ? workStyles : ['full-time'],
        turn: lives === '31' ? 'none' : 'i-turn',
        standings: summary,
        basis: `${now.toISOString()}|0000000001`,
      };
    };

    type Entry = ReturnType<typeof entryFor>;
    const entries: Entry[] = [];
    const withProfile = new Set<string>();
    const rows: string[][] = [];
    const stats: { size: number; p50: number; p95: number; raw: number; read: Totals; writes: number; returned: number }[] = [];
    for (const size of SIZES) {
      const fresh: Entry[] = [];
      while (entries.length < size) {
        const entry = entryFor(entries.length);
        entries.push(entry);
        fresh.push(entry);
      }
      progress(`ranking: writing ${count(fresh.length)} pool entries (${count(size)} in ${pool})`);
      meter.enabled = false;
      const writeStarted = performance.now();
      await forEachConcurrently(fresh, WRITE_CONCURRENCY, (entry) => putPoolEntry(pool, entry));
      // The request re-checks consent on the profiles of the window it returns (20):
      // give the top 40 by the product's own ranking a consenting profile.
      const top = rankEntries(opening, catalog, entries, false)
        .ranked.slice(0, 40)
        .map((c) => c.entry);
      for (const entry of top) {
        if (withProfile.has(entry.learnerId)) continue;
        await putLearnerProfile({
          learnerId: entry.learnerId,
          residence: { prefecture: entry.residencePrefecture, municipality: `${entry.residencePrefecture}2010` },
          workPrefectures: entry.workPrefectures,
          workStyles: entry.workStyles as ('full-time' | 'side-job' | 'dispatch' | 'remote')[],
          turn: { intent: entry.turn as 'none' | 'i-turn' },
          consent: { matching: true, changedAt: now.toISOString() },
          consentHistory: [{ matching: true, at: now.toISOString() }],
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        });
        withProfile.add(entry.learnerId);
      }
      progress(`ranking: wrote them in ${((performance.now() - writeStarted) / 1000).toFixed(0)} s; measuring`);
      meter.enabled = true;

      const requests = REQUESTS[size] ?? 7;
      const latencies: number[] = [];
      const raws: number[] = [];
      const totals: Totals[] = [];
      let returned = 0;
      const warmup = size >= 10_000 ? 1 : 2;
      for (let i = 0; i < requests + warmup; i++) {
        const from = meter.mark();
        const t0 = performance.now();
        const res = await call('GET', `/v1/openings/${openingId}/candidates`, { token: center });
        const t1 = performance.now();
        expectStatus(res, 200, 'GET candidates');
        const read = totalsOf(meter.slice(from));
        if (i < warmup) continue;
        latencies.push(t1 - t0);
        if (raws.length < BARE_READS) {
          // Same-run baseline: the bare read of the pool partition the ranking starts from.
          meter.enabled = false;
          const t2 = performance.now();
          const all = await poolEntries(pool);
          raws.push(performance.now() - t2);
          meter.enabled = true;
          if (all.length !== size) throw new Error(`pool holds ${all.length}, expected ${size}`);
        }
        totals.push(read);
        returned = res.json.candidates.length;
        if (res.json.candidates.length === 0) throw new Error('no candidate fits: the bench data is wrong');
      }
      const read = totals[0]!;
      stats.push({ size, p50: median(latencies), p95: p95(latencies), raw: median(raws), read, writes: read.writes, returned });
      progress(
        `ranking raw (not reported): ${size}: p50 ${median(latencies).toFixed(0)} ms, p95 ${p95(latencies).toFixed(0)} ms, bare pool read ${median(raws).toFixed(0)} ms`,
      );
    }

    const first = stats[0]!;
    const bytesPerEntry = (s: (typeof stats)[number]) => (s.read.readUnits * 2 * 4096) / s.size;
    for (const s of stats) {
      rows.push([
        count(s.size),
        ratio(s.p50 / first.p50),
        ratio(s.p95 / first.p50),
        ratio(s.p50 / s.raw),
        count(s.read.readUnits, 1),
        count(s.read.items),
        String(s.read.ops),
        `${s.read.byCommand.QueryCommand ?? 0} Query, ${s.read.byCommand.BatchGetItemCommand ?? 0} BatchGet, ${s.read.byCommand.GetItemCommand ?? 0} Get`,
        String(s.writes),
        String(s.returned),
      ]);
    }
    const last = stats[stats.length - 1]!;
    section.method.push(
      `One open opening (full-time, workplace Tottori 312011, 2 required items, 1 nice-to-have, role data-engineer) created through the API; its pool ${pool} filled with entries written directly by shared/data/pools.ts \`putPoolEntry\` (${SIZES.map((s) => count(s)).join(', ')} entries, added incrementally). Each entry's standing is the product's own \`compactStandings\` over 1–3 of 20 seed-demo-style courses (400 distinct summaries shared out); 70 % want full-time work. The top 40 by the product's \`rankEntries\` get a consenting profile (the request re-checks consent for the 20 it returns).`,
      `GET /v1/openings/{id}/candidates as the prefecture's center, through the in-process invoker, sequentially: 2 warm-up requests at 1k, 1 at larger sizes, then ${SIZES.map((s) => `${REQUESTS[s] ?? 7} at ${count(s)}`).join(', ')}. Latency is shown as ratios: to the median at ${count(first.size)} (growth), and to a bare \`poolEntries(pool)\` read (the product's data function alone) timed right after the first ${BARE_READS} requests of each size (how much of the time is the data read). RCU and items from ConsumedCapacity of every operation of one request.`,
    );
    section.figure(
      `Median latency at ${SIZES.map((s) => count(s)).join(' / ')} entries, relative to ${count(first.size)}`,
      stats.map((s) => ratio(s.p50 / first.p50)).join(' / '),
    );
    section.figure('p95 ÷ median at each size', stats.map((s) => ratio(s.p95 / s.p50)).join(' / '));
    section.figure('Ranking request ÷ bare read of the pool partition (medians) at each size', stats.map((s) => ratio(s.p50 / s.raw)).join(' / '));
    section.figure(`RCU per ranking request at ${SIZES.map((s) => count(s)).join(' / ')} entries`, stats.map((s) => count(s.read.readUnits, 1)).join(' / '));
    section.figure('Items read per request', stats.map((s) => count(s.read.items)).join(' / '));
    section.figure('Writes per ranking request (audit events, one per candidate shown)', stats.map((s) => String(s.writes)).join(' / '));
    section.table(
      'Per pool size: latency ratios and data read by one request',
      [
        'pool entries',
        'p50 ÷ p50 at 1k',
        'p95 ÷ p50 at 1k',
        'p50 ÷ bare pool read',
        'RCU',
        'items read',
        'operations',
        'by command',
        'writes',
        'candidates returned',
      ],
      rows,
    );
    section.notes.push(
      `Reads grow linearly with the pool: every request reads the whole partition (≈ ${kib(bytesPerEntry(last))} per entry, eventually consistent), scores every entry and sorts them, to return ${last.returned}. At ${count(last.size)} entries that is ${count(last.read.readUnits, 0)} RCU per request. The page the client asked for is ${last.returned} candidates; the work is for all of them.`,
      'A plan if this must scale: keep a precomputed ranking per open opening (recomputed by the matching job or on pool changes, read as one page), or shard pools by required skill so a ranking reads only entries that can score > 0; and cache the ranked list per opening for the cursor pages, which today re-read and re-rank the pool for every page.',
      'No budget was set for ranking; figures are informational.',
    );
    meter.close();
    return section.finish();
  } finally {
    await env.close();
  }
}

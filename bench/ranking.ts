import { performance } from 'node:perf_hooks';
import { createApi, expectStatus } from './lib/api';
import { prepareBenchEnvironment } from './lib/environment';
import { benchCourses, openingBody } from './lib/fixtures';
import { mulberry32 } from './lib/matching-generate';
import { Meter, totalsOf, type Totals } from './lib/meter';
import type { SectionResult } from './lib/results';
import { Section, progress } from './lib/section';
import { count, max, median, min, p95, ratio, shuffle } from './lib/stats';
import { bundledCatalogVersions } from '../shared/catalog/bundled';
import { forEachConcurrently } from '../shared/concurrency';
import { db } from '../shared/data/client';
import { putLearnerProfile } from '../shared/data/learners';
import { getOpening } from '../shared/data/openings';
import { loadPoolEntries, putPoolEntry, type PoolEntry } from '../shared/data/pools';
import { getShortlist } from '../shared/data/shortlists';
import { MERGE_AT_MOST } from '../shared/domain/ranking-read';
import { seedBundledCatalog } from '../shared/domain/catalog-seed';
import { poolsOfOpening, type ShortlistRow } from '../shared/domain/ranking';
import { computeShortlists, SHORTLIST_SIZE } from '../shared/domain/shortlist-refresh';
import { compactStandings } from '../shared/domain/standing';
import { PREFECTURE_CODES } from '../shared/ids';
import { addDays, japanDate } from '../shared/time/japan-time';

/**
 * Candidate ranking at prefecture scale: one open opening in Tottori (31) against 10k,
 * 100k and 500k pool entries loaded directly (shared/data/pools.ts `loadPoolEntries`),
 * its shortlist computed by the refresh job, then entries changed since (the merge a
 * request does), and GET /v1/openings/{id}/candidates through the in-process invoker,
 * alternating with catalog reads (GET /v1/catalog) as the same-run baseline.
 */
const SIZES = (process.env.BENCH_RANKING_SIZES ?? '10000,100000,500000').split(',').map(Number);
/** Rounds of requests: in each, every opening once (in a shuffled order), each followed by the catalog reads. */
const ROUNDS = 40;
const WARMUP_ROUNDS = 4;
/** Entries rewritten after each shortlist, as the derivation would: each request merges them. */
const CHANGES = 50;
const EMPLOYER = '7123456789012';
/** Pools of different sizes are measured side by side, one prefecture each, requests interleaved: the load on the machine hits all alike. */
const WORKPLACES = [
  { prefecture: '31', municipality: '312011' },
  { prefecture: '32', municipality: '322016' },
  { prefecture: '33', municipality: '332011' },
  { prefecture: '34', municipality: '341002' },
];
const LOAD_CHUNK = 500;
const LOAD_IN_FLIGHT = 6;

const BUDGET = { spread: 1.5, p95Growth: 1.5, p95VsCatalog: 5 };

interface SizeStats {
  size: number;
  shortlistRows: number;
  jobItems: number;
  jobReadUnits: number;
  jobSeconds: number;
  loadSeconds: number;
  rankTimes: number[];
  catalogTimes: number[];
  documentTimes: number[];
  reads: Totals[];
  cold?: Totals;
  merged: number;
  returned: number;
}

export async function run(): Promise<SectionResult> {
  const section = new Section('ranking', 'Candidate ranking (GET /v1/openings/{id}/candidates)');
  const env = await prepareBenchEnvironment();
  try {
    const meter = new Meter().install(db);
    meter.enabled = false;
    const call = await createApi();
    const now = new Date();
    const today = japanDate(now);
    await seedBundledCatalog(now);
    const catalog = bundledCatalogVersions()[0]!;

    // One opening per pool size, each in a prefecture of its own, through the API like test/api/matching.test.ts.
    const employer = await env.token({ sub: 'bench-employer', role: 'employer', org: EMPLOYER });
    expectStatus(
      await call('PUT', '/v1/organisations/me', {
        token: employer,
        body: { kind: 'employer', name: '因幡データ株式会社', corporateNumber: EMPLOYER, headOffice: '312011' },
      }),
      201,
      'organisation',
    );
    const places = SIZES.map((size, i) => ({ size, ...WORKPLACES[i % WORKPLACES.length]! }));
    const subjects = await Promise.all(
      places.map(async (place) => {
        const created = expectStatus(
          await call('POST', '/v1/openings', {
            token: employer,
            body: openingBody({
              title: 'データエンジニア',
              catalogVersion: catalog.version,
              workplace: place.municipality,
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
        const center = await env.token({ sub: `center-${place.prefecture}`, role: 'center', prefecture: place.prefecture });
        return { ...place, openingId, opening, center, pool: poolsOfOpening(opening)[0]! };
      }),
    );

    // Realistic standings: the product's own derivation over 1–3 of 20 seed-demo-style
    // courses, 400 distinct ones shared out among the entries.
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
    const entryFor = (prefecture: string, n: number, stamp = 1): PoolEntry => {
      const lives = random() < 0.5 ? prefecture : PREFECTURE_CODES[Math.floor(random() * PREFECTURE_CODES.length)]!;
      const workStyles = styles.filter((s) => (s === 'full-time' ? random() < 0.7 : random() < 0.3));
      return {
        learnerId: `rank-${prefecture}-${String(n).padStart(6, '0')}`,
        residencePrefecture: lives,
        workPrefectures: lives === prefecture ? [prefecture] : [prefecture, lives].sort(),
        workStyles: workStyles.length ? workStyles : ['full-time'],
        turn: lives === prefecture ? 'none' : 'i-turn',
        standings: summaries[Math.floor(random() * summaries.length)]!,
        basis: `001|${now.toISOString()}|${String(stamp).padStart(10, '0')}`,
      };
    };

    const withProfile = new Set<string>();
    const consenting = async (prefecture: string, municipality: string, learnerIds: string[]) => {
      for (const learnerId of learnerIds) {
        if (withProfile.has(learnerId)) continue;
        const at = new Date().toISOString();
        await putLearnerProfile({
          learnerId,
          residence: { prefecture: prefecture, municipality },
          workPrefectures: [prefecture],
          workStyles: ['full-time'],
          turn: { intent: 'none' },
          consent: { matching: true, changedAt: at },
          consentHistory: [{ matching: true, at }],
          createdAt: at,
          updatedAt: at,
        });
        withProfile.add(learnerId);
      }
    };

    // Load every pool, then compute each shortlist (the job's pass), metered.
    const prepared: (SizeStats & { subject: (typeof subjects)[number] })[] = [];
    for (const subject of subjects) {
      progress(`ranking: loading ${count(subject.size)} pool entries into ${subject.pool}`);
      const loadStarted = performance.now();
      const chunks: number[] = [];
      for (let start = 0; start < subject.size; start += LOAD_CHUNK) chunks.push(start);
      // Stamped as written an hour ago: entries the shortlist computed next holds, not changes since it.
      await forEachConcurrently(chunks, LOAD_IN_FLIGHT, async (start) => {
        const entries = Array.from({ length: Math.min(LOAD_CHUNK, subject.size - start) }, (_, k) => entryFor(subject.prefecture, start + k));
        await loadPoolEntries(subject.pool, entries);
      });
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      meter.enabled = true;
      const jobFrom = meter.mark();
      const jobStarted = performance.now();
      // The job's pass itself: a bulk load is no "change" the job's schedule would notice.
      await computeShortlists([subject.pool], [subject.opening]);
      const jobSeconds = (performance.now() - jobStarted) / 1000;
      const job = totalsOf(meter.slice(jobFrom));
      meter.enabled = false;
      const shortlist = (await getShortlist<ShortlistRow>(subject.openingId))!;
      progress(`ranking: loaded in ${loadSeconds.toFixed(0)} s, shortlist in ${jobSeconds.toFixed(1)} s`);
      // The request re-checks consent on the profiles of the 20 it returns: the top 40 consent.
      await consenting(
        subject.prefecture,
        subject.municipality,
        shortlist.rows.slice(0, 40).map((row) => row[0]),
      );
      prepared.push({
        subject,
        size: subject.size,
        shortlistRows: shortlist.rows.length,
        jobItems: job.items,
        jobReadUnits: job.readUnits,
        jobSeconds,
        loadSeconds,
        rankTimes: [],
        catalogTimes: [],
        documentTimes: [],
        reads: [],
        merged: 0,
        returned: 0,
      });
    }
    // Then CHANGES entries of each pool are rewritten (a completion derived), as between two refreshes.
    for (const p of prepared) {
      for (let i = 0; i < CHANGES; i++) await putPoolEntry(p.subject.pool, entryFor(p.subject.prefecture, Math.floor(random() * p.size), 2));
    }

    progress('ranking: measuring, the pools interleaved');
    meter.enabled = true;
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      for (const p of shuffle(prepared, random)) {
        const from = meter.mark();
        const t0 = performance.now();
        const res = await call('GET', `/v1/openings/${p.subject.openingId}/candidates`, { token: p.subject.center });
        const t1 = performance.now();
        expectStatus(res, 200, 'GET candidates');
        const records = meter.slice(from);
        const read = totalsOf(records);
        if (res.json.standingsAsOf) throw new Error('the request did not merge the changes (too many): the bench data is wrong');
        if (round === 0) {
          // The first request: this process keeps no shortlist of the opening yet.
          if (!read.byKind['shortlist (query)']) throw new Error('the first request did not read the shortlist');
          p.cold = read;
        }
        const t2 = performance.now();
        expectStatus(await call('GET', '/v1/catalog'), 200, 'GET catalog');
        const t3 = performance.now();
        expectStatus(await call('GET', `/v1/catalog/${catalog.version}`), 200, 'GET catalog document');
        const t4 = performance.now();
        if (round < WARMUP_ROUNDS) continue;
        p.rankTimes.push(t1 - t0);
        p.catalogTimes.push(t3 - t2);
        p.documentTimes.push(t4 - t3);
        p.reads.push(read);
        p.merged = records.filter((r) => r.kind === 'pool entry (batch)').reduce((n, r) => n + r.items, 0);
        p.returned = res.json.candidates.length;
        if (p.returned === 0) throw new Error('no candidate fits: the bench data is wrong');
      }
    }
    meter.enabled = false;
    const stats = prepared.map((p) => ({
      ...p,
      rankP50: median(p.rankTimes),
      rankP95: p95(p.rankTimes),
      catalogP50: median(p.catalogTimes),
      catalogP95: p95(p.catalogTimes),
      documentP95: p95(p.documentTimes),
      read: p.reads[0]!,
      cold: p.cold!,
    }));
    for (const s of stats) {
      progress(
        `ranking raw (not reported): ${s.size}: p50 ${s.rankP50.toFixed(0)} ms, p95 ${s.rankP95.toFixed(0)} ms; catalog p50 ${s.catalogP50.toFixed(0)} ms, p95 ${s.catalogP95.toFixed(0)} ms; job ${s.jobSeconds.toFixed(1)} s`,
      );
    }

    const first = stats[0]!;
    const sizes = stats.map((s) => count(s.size)).join(' / ');
    const spread = (values: number[]) => max(values) / min(values);
    const itemsSpread = Math.max(spread(stats.map((s) => s.read.items)), spread(stats.map((s) => s.cold.items)));
    const unitsSpread = Math.max(spread(stats.map((s) => s.read.readUnits)), spread(stats.map((s) => s.cold.readUnits)));
    const at100k = stats.find((s) => s.size === 100_000);
    const growth = at100k ? at100k.rankP95 / first.rankP95 : Number.NaN;
    const catalogP95 = p95(stats.flatMap((s) => s.catalogTimes));
    const vsCatalog = first.rankP95 / catalogP95;
    const itemsFigure = `Items read per ranking request at ${sizes} entries: the process keeps the shortlist (a minute) / first request after a refresh`;
    const unitsFigure = `RCU per ranking request at ${sizes} entries: kept shortlist / first request after a refresh`;
    const both = (of: (t: Totals) => string) => `${stats.map((s) => of(s.read)).join(' / ')}; ${stats.map((s) => of(s.cold)).join(' / ')}`;
    const growthFigure = 'p95 of a ranking request at 100,000 entries ÷ p95 at 10,000';
    const catalogFigure = `p95 of a ranking request at ${count(first.size)} entries ÷ p95 of a catalog read (GET /v1/catalog, same rounds)`;
    section.figure(itemsFigure, `${both((t) => count(t.items))} (largest ÷ smallest ${ratio(itemsSpread)})`, {
      text: `within ${BUDGET.spread}× of each other`,
      within: itemsSpread <= BUDGET.spread,
    });
    section.figure(unitsFigure, `${both((t) => count(t.readUnits, 1))} (largest ÷ smallest ${ratio(unitsSpread)})`, {
      text: `within ${BUDGET.spread}× of each other`,
      within: unitsSpread <= BUDGET.spread,
    });
    if (at100k) section.figure(growthFigure, ratio(growth), { text: `≤ ${BUDGET.p95Growth.toFixed(2)}×`, within: growth <= BUDGET.p95Growth });
    section.figure(catalogFigure, ratio(vsCatalog), { text: `≤ ${BUDGET.p95VsCatalog.toFixed(2)}×`, within: vsCatalog <= BUDGET.p95VsCatalog });
    section.figure(
      `p95 of a ranking request at ${sizes} entries, relative to ${count(first.size)}`,
      stats.map((s) => ratio(s.rankP95 / first.rankP95)).join(' / '),
    );
    section.figure('Median ranking request ÷ median catalog read, at each size', stats.map((s) => ratio(s.rankP50 / s.catalogP50)).join(' / '));
    section.figure(
      `p95 of a ranking request at ${count(first.size)} entries ÷ p95 of a catalog document read (GET /v1/catalog/{version}, served from the process's cache: no table read)`,
      ratio(first.rankP95 / first.documentP95),
    );
    section.figure(`Refresh job (whole-pool pass computing the shortlist): items read at ${sizes} entries`, stats.map((s) => count(s.jobItems)).join(' / '));
    section.table(
      'Per pool size: one ranking request (the 20 best consenting candidates), the catalog baseline, and the refresh job',
      [
        'pool entries',
        'items read',
        'RCU',
        'first request: items, RCU',
        'operations',
        'by command',
        'entries merged',
        'shortlist rows',
        'p50 ÷ catalog p50',
        'p95 ÷ catalog p95',
        'p95 ÷ p95 at 10k',
        'writes (audit)',
        'job items read',
        'job RCU',
      ],
      stats.map((s) => [
        count(s.size),
        count(s.read.items),
        count(s.read.readUnits, 1),
        `${count(s.cold.items)}, ${count(s.cold.readUnits, 1)}`,
        String(s.read.ops),
        Object.entries(s.read.byCommand)
          .map(([command, n]) => `${n} ${command.replace(/Command$/, '').replace('Item', '')}`)
          .join(', '),
        String(s.merged),
        String(s.shortlistRows),
        ratio(s.rankP50 / s.catalogP50),
        ratio(s.rankP95 / s.catalogP95),
        ratio(s.rankP95 / first.rankP95),
        String(s.read.writes),
        count(s.jobItems),
        count(s.jobReadUnits, 0),
      ]),
    );
    const byKind = Object.entries(first.cold.byKind).map(([kind, t]) => [
      kind,
      String(t.ops),
      count(t.readUnits, 1),
      String(first.read.byKind[kind]?.ops ?? 0),
      count(first.read.byKind[kind]?.readUnits ?? 0, 1),
    ]);
    section.table(
      `What one ranking request reads, by item kind (at ${count(first.size)} entries; the same at every size)`,
      ['kind', 'operations (first request)', 'RCU (first request)', 'operations (shortlist kept)', 'RCU (shortlist kept)'],
      byKind,
    );
    section.method.push(
      `One open opening per pool size (full-time, 2 required items, 1 nice-to-have, role data-engineer), each in a prefecture of its own (${subjects.map((x) => `${x.pool}: ${count(x.size)}`).join(', ')} entries), created through the API; each pool loaded directly with shared/data/pools.ts \`loadPoolEntries\` (batch writes, not logged as changes: the shortlists are computed after). Each entry's standing is the product's own \`compactStandings\` over 1–3 of 20 seed-demo-style courses (400 distinct standings shared out); 70 % want full-time work.`,
      `For each opening the refresh job's pass (\`computeShortlists\`, shared/domain/shortlist-refresh.ts) computes its shortlist (${SHORTLIST_SIZE} per evidence mode) in one pass over its pool, metered; the top 40 of it get a consenting profile (the request re-checks consent for the 20 it returns); then ${CHANGES} entries of each pool are rewritten with \`putPoolEntry\` (as a derivation does), so every request merges ${CHANGES} changes (a request merges up to ${MERGE_AT_MOST}; the job recomputes long before).`,
      `Measured side by side so that the load on this shared machine hits every size alike: ${WARMUP_ROUNDS} warm-up and ${ROUNDS} measured rounds; in each, GET /v1/openings/{id}/candidates for every opening in a shuffled order, as its prefecture's center through the in-process invoker, each followed by a catalog read, GET /v1/catalog (public; the current version and the installed versions, two operations on the table), the same-run baseline (its p95 over every round), and GET /v1/catalog/{version} (the document, which a warm process serves from memory: shown for context). Items and RCU from ConsumedCapacity of every operation of one request: the first request of each opening (the process keeps no shortlist yet) and a later one.`,
    );
    const last = stats[stats.length - 1]!;
    section.notes.push(
      `Reads per request do not depend on the pool: the shortlist (head + rows, one Query; a warm process keeps it for a minute, which is as exact since everything written after it is merged), the entries changed since it (a query of the pool's change log and a BatchGet of ${CHANGES}), the opening, and the profiles of the people shown (consent, read while the changes are). The pool itself is read only by the refresh job: ${count(last.jobItems)} items at ${count(last.size)} entries, in ${last.jobSeconds.toFixed(0)} s on this machine against dynalite (loading those entries took ${last.loadSeconds.toFixed(0)} s).`,
      'The list a center sees is the exact top of the full ranking as far as it goes (test/unit/ranking-shortlist.test.ts checks it against full scoring for random pools, shortlist sizes and changes); when the pool holds more candidates than the shortlist, the answer carries `shortlisted` and says the list ends there.',
      `Cost outside the request: each pool-entry write adds one small item to the pool's change log (1 WCU; it expires by itself after three days); the job reads the whole pool once per refresh of the openings that draw on it (every open opening of a pool is computed in the same pass).`,
    );
    const stepsWhy = `A ranking request waits for three steps on the table one after the other: the opening and the keys of the entries changed since the shortlist (together), then those ${CHANGES} entries and the page's profiles (together), then the audit events of the people shown (written before the answer, as every listing must be in that person's trail). A catalog read waits for one (two reads together). Against dynalite on this shared 2-core machine a step costs a few milliseconds, its batches more than the catalog's single items, so the request sits at ${ratio(median(first.rankTimes) / median(stats.flatMap((s) => s.catalogTimes)))} a catalog read at the median, and the p95 ratio swings with the tails of both (between about 4× and 8× over the runs made while building this); nothing in it grows with the pool.`;
    const stepsPlan =
      "Drop the middle step: write the ranking attributes of the entry into its change-log item, so the changes query returns the changed entries themselves and the page's profiles are read with the opening. The log item then costs what the entry costs (one more WCU per write once entries carry several catalog versions' standings) and keeps a learner's skill levels for three days after an erasure; kept to keys until that trade is decided. Two steps against one would put the request near 2–3× a catalog read.";
    section.notes.push(`${stepsWhy} ${stepsPlan}`);
    const sameAtEverySize = 'Look at the by-kind table for what grew: the shortlist rows and the entries merged should be the same at every size.';
    for (const [figure, within, why, plan] of [
      [itemsFigure, itemsSpread <= BUDGET.spread, 'The items read per request differ between sizes.', sameAtEverySize],
      [unitsFigure, unitsSpread <= BUDGET.spread, 'The RCU per request differ between sizes.', sameAtEverySize],
      [growthFigure, !at100k || growth <= BUDGET.p95Growth, 'p95 grew from 10k to 100k although the reads did not (see the table).', sameAtEverySize],
      [catalogFigure, vsCatalog <= BUDGET.p95VsCatalog, stepsWhy, stepsPlan],
    ] as const) {
      if (!within) section.over.push({ figure, why, plan });
    }
    meter.close();
    return section.finish();
  } finally {
    await env.close();
  }
}

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { prepareBenchEnvironment } from './lib/environment';
import { benchCourses } from './lib/fixtures';
import type { SectionResult } from './lib/results';
import { Section, progress } from './lib/section';
import { numberedIds, seedLearners } from './lib/seed-learners';
import { count, ratio } from './lib/stats';
import { bundledCatalogVersions } from '../shared/catalog/bundled';
import { catalogVersionFromFiles } from '../shared/catalog/validate';
import { putCourse } from '../shared/data/courses';
import { LEARNER_SEGMENTS } from '../shared/data/learners';
import { poolEntries } from '../shared/data/pools';
import { installCatalog } from '../shared/domain/catalog';
import { seedBundledCatalog } from '../shared/domain/catalog-seed';
import { poolsOf } from '../shared/domain/candidate-pool';
import { rebuildView, resumeCurrentRebuild, runRebuildSegment, startRebuild, type RebuildCheckpoint } from '../shared/domain/rebuild';
import { runAggregation } from '../shared/progress/aggregator';
import { recount } from '../shared/progress/recount';

/**
 * The rebuild of every learner's derived state after DSS-P 2.0 is installed and made
 * current (issue 12), over 10,000 learners seeded through the data and domain layers and
 * derived by the aggregation. Workers running the segments (4 at once, as the local host
 * does) are killed at the rebuild's checkpoints, in turn after a page is derived and after
 * it is recorded; each crash ends every segment worker of that attempt, and the next
 * attempt resumes from what was recorded. The local scheduler's tick finishes the rest.
 */
const LEARNERS = Number(process.env.BENCH_REBUILD_LEARNERS ?? 10_000);
const SEGMENTS_AT_ONCE = 4;
/** Each attempt dies the `at`-th time one of its workers reaches `step` (counted within that attempt). */
const KILLS: { step: Parameters<RebuildCheckpoint>[0]; at: number }[] = [
  { step: 'page-derived', at: 1 },
  { step: 'page-recorded', at: 7 },
  { step: 'page-derived', at: 12 },
  { step: 'page-recorded', at: 1 },
  { step: 'page-derived', at: 20 },
  { step: 'page-recorded', at: 16 },
];
const SAMPLE_MS = 10_000;

class Killed extends Error {}

/**
 * One attempt: the segments' workers, `SEGMENTS_AT_ONCE` at a time, like the local host's.
 * At the kill every worker of the attempt dies at its next checkpoint (a crashed process
 * runs nothing more); it returns once none is left running.
 */
async function crashingAttempt(rebuildId: string, kill: (typeof KILLS)[number]) {
  let dead = false;
  let reached = 0;
  const pages = { derived: 0, recorded: 0 };
  const checkpoint: RebuildCheckpoint = (step) => {
    if (step === 'page-derived') pages.derived++;
    else pages.recorded++;
    if (dead) throw new Killed();
    if (step === kill.step && ++reached === kill.at) {
      dead = true;
      throw new Killed();
    }
  };
  let next = 0;
  const workers = Array.from({ length: SEGMENTS_AT_ONCE }, async () => {
    while (!dead && next < LEARNER_SEGMENTS) await runRebuildSegment(rebuildId, next++, { checkpoint });
  });
  for (const outcome of await Promise.allSettled(workers)) {
    if (outcome.status === 'rejected' && !(outcome.reason instanceof Killed)) throw outcome.reason;
  }
  return { killed: dead, ...pages };
}

/** Lets the aggregation count (and derive) everything pending, as `npm run progress:recount` does first. */
async function catchUp(): Promise<{ learnersRefreshed: number }> {
  let learnersRefreshed = 0;
  for (;;) {
    const result = await runAggregation();
    learnersRefreshed += result.learnersRefreshed;
    if (result.leaseHeld && result.batches === 0) return { learnersRefreshed };
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function run(): Promise<SectionResult> {
  const section = new Section('rebuild', `Rebuild of derived state over ${count(LEARNERS)} learners (DSS-P 2.0 installed and made current)`);
  // Marks wait this long before the aggregation takes them (batching a learner's burst for
  // the progress figures); the rebuild does not depend on it, and the seeding need not wait it out.
  process.env.KANRYU_PROGRESS_HOLD_SECONDS ??= '0';
  const env = await prepareBenchEnvironment();
  try {
    const now = new Date();
    await seedBundledCatalog(now);
    const catalog = bundledCatalogVersions()[0]!;
    const courses = benchCourses(catalog, 24, now.toISOString());
    for (const { course, roles } of courses) await putCourse(course, roles);

    progress(`rebuild: seeding ${count(LEARNERS)} learners`);
    let t0 = performance.now();
    const { profiles, completions } = await seedLearners({
      ids: numberedIds('rbd-', LEARNERS),
      courses: courses.map((c) => c.course),
      now,
    });
    const seedMs = performance.now() - t0;
    progress(`rebuild: ${count(completions)} completions in ${seconds(seedMs)}; aggregating`);
    t0 = performance.now();
    const aggregated = await catchUp();
    const aggregationMs = performance.now() - t0;

    const pools = [...new Set(profiles.flatMap((p) => poolsOf(p)))].sort();
    const expectedEntries = profiles.reduce((n, p) => n + poolsOf(p).length, 0);
    const entriesWithout = async (version: string) => {
      let total = 0;
      let missing = 0;
      for (const pool of pools) {
        for (const entry of await poolEntries(pool)) {
          total++;
          if (!entry.standings?.[version]) missing++;
        }
      }
      return { total, missing };
    };

    const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/catalog/2.0/${name}`, import.meta.url));
    const v2 = catalogVersionFromFiles(JSON.parse(fixture('catalog.json').toString('utf8')), fixture('importance.csv'));
    if (!v2.ok) throw new Error(v2.errors.join('; '));
    await installCatalog(v2.catalog, true, now);
    const { rebuild, started } = await startRebuild('catalog 2.0 installed and made current', now);
    if (!started) throw new Error('no rebuild started after installing 2.0');
    const stale = await entriesWithout('2.0');
    progress(`rebuild: ${rebuild.rebuildId} started; ${count(stale.missing)} of ${count(stale.total)} pool entries have no 2.0 standing`);

    // What admin sees (GET /v1/rebuilds/{id}), read while the rebuild runs.
    const rebuildStarted = performance.now();
    const views: string[][] = [];
    const look = async (event: string) => {
      const view = (await rebuildView(rebuild.rebuildId))!;
      views.push([
        seconds(performance.now() - rebuildStarted),
        event,
        view.status,
        `${view.segments.done}/${view.segments.total}`,
        count(view.learnersDone),
        String(view.errors),
      ]);
      return view;
    };
    let sampling = Promise.resolve();
    const sampler = setInterval(() => {
      sampling = sampling.then(() => look('read while running').then(() => undefined));
    }, SAMPLE_MS);

    const attempts: string[][] = [];
    let kills = 0;
    let pagesDerived = 0;
    let pagesRecorded = 0;
    for (const [i, kill] of KILLS.entries()) {
      const attempt = await crashingAttempt(rebuild.rebuildId, kill);
      kills += attempt.killed ? 1 : 0;
      pagesDerived += attempt.derived;
      pagesRecorded += attempt.recorded;
      const view = await look(attempt.killed ? `killed at ${kill.step} #${kill.at}` : 'attempt finished before its kill');
      attempts.push([
        String(i + 1),
        `${kill.step} #${kill.at}`,
        attempt.killed ? 'killed' : 'not reached',
        String(attempt.derived),
        String(attempt.recorded),
        count(view.learnersDone),
      ]);
      progress(`rebuild: attempt ${i + 1} ${attempt.killed ? 'killed' : 'finished'}; ${count(view.learnersDone)} learners recorded`);
    }
    // The rest as the local host's scheduler does it: a plain rerun of the current rebuild.
    const resumed = performance.now();
    const tick = await resumeCurrentRebuild();
    const resumeMs = performance.now() - resumed;
    clearInterval(sampler);
    await sampling;
    const rebuildMs = performance.now() - rebuildStarted;
    const final = await look(`finished by the scheduler's tick (${tick.rebuildId ? 'resumed' : 'nothing to resume'})`);
    const lastAttempt = attempts.at(-1)!;
    attempts.push(['scheduler tick', '—', 'completed', '—', '—', count(final.learnersDone)]);
    progress(`rebuild: ${final.status} in ${seconds(rebuildMs)}; checking pool entries and the recount`);

    const after = await entriesWithout('2.0');
    t0 = performance.now();
    await catchUp();
    const counted = await recount();
    const recountMs = performance.now() - t0;

    section.method.push(
      `${count(LEARNERS)} learners, each with a consenting (80 %) or private profile written by the data layer as \`PUT /v1/learners/me\` stores it, spread over the 47 prefectures and so over the ${LEARNER_SEGMENTS} rebuild segments, and one to three completions of ${courses.length} DSS-P 1.2 courses reported through the domain like \`POST /v1/completions\` (70 % verified by the provider), ${count(completions)} in all; then the aggregation derives every learner (pool entries, qualifications) and counts the completions.`,
      'DSS-P 2.0 (test/fixtures/catalog/2.0) is installed and made current as `POST /v1/catalog/versions` does, which starts a rebuild.',
      `The rebuild runs in attempts, each with ${SEGMENTS_AT_ONCE} segment workers (\`runRebuildSegment\`, one Lambda per segment in AWS). Each attempt is killed through the checkpoint seam the ${KILLS.map((k) => `${k.at}${k.at === 1 ? 'st' : 'th'} time it reaches \`${k.step}\``).join(', then the ')}: at the kill every worker of the attempt dies at its next checkpoint, like a crashed process. After the last kill the local scheduler's tick (\`resumeCurrentRebuild\`) runs it to the end.`,
      `Progress is read with \`rebuildView\` (what \`GET /v1/rebuilds/{id}\` answers) every ${SAMPLE_MS / 1000} s and after each attempt. Afterwards: every pool entry must carry a 2.0 standing, the aggregation catches up and \`recount\` (what \`npm run progress:recount\` runs) must report no difference. The machine is shared, so the times are shown with a same-run reference: the aggregation deriving the same learners.`,
    );
    const exact = final.learnersDone === LEARNERS;
    section.figure('rebuild status', final.status, { text: 'done', within: final.status === 'done' });
    section.figure('learners recorded done (each counted once although killed pages were derived again)', count(final.learnersDone), {
      text: `exactly ${count(LEARNERS)}`,
      within: exact,
    });
    section.figure('segments done', `${final.segments.done}/${final.segments.total}`, {
      text: `${LEARNER_SEGMENTS}/${LEARNER_SEGMENTS}`,
      within: final.segments.done === LEARNER_SEGMENTS,
    });
    section.figure('learners the rebuild could not derive (errors)', String(final.errors), { text: '0', within: final.errors === 0 });
    section.figure(
      'kills survived',
      `${kills} of ${KILLS.length} (${KILLS.filter((k) => k.step === 'page-derived').length} after a page was derived, ${KILLS.filter((k) => k.step === 'page-recorded').length} after it was recorded)`,
      {
        text: `${KILLS.length}`,
        within: kills === KILLS.length,
      },
    );
    section.figure(
      'pages derived by killed attempts / recorded by them',
      `${pagesDerived} / ${pagesRecorded} (${pagesDerived - pagesRecorded} derived again after a kill; ${lastAttempt[5]} learners recorded before the last rerun)`,
    );
    section.figure('pool entries without a 2.0 standing, before → after', `${count(stale.missing)} → ${count(after.missing)} of ${count(after.total)}`, {
      text: '0 after',
      within: after.missing === 0 && after.total === expectedEntries,
    });
    section.figure('aggregates vs recount after the rebuild', `${counted.differences.length} difference(s) over ${count(counted.records)} source records`, {
      text: '0',
      within: counted.differences.length === 0,
    });
    section.figure('rebuild, start to done (kills and reruns included)', seconds(rebuildMs));
    section.figure('of which the final rerun (scheduler tick)', seconds(resumeMs));
    section.figure(
      'rebuild time / aggregation deriving the same learners (same-run reference)',
      `${ratio(rebuildMs / aggregationMs)} (aggregation: ${count(aggregated.learnersRefreshed)} learners in ${seconds(aggregationMs)})`,
    );
    section.figure('seeding (profiles and completions)', seconds(seedMs));
    section.figure('recount (with the aggregation catching up first)', seconds(recountMs));
    section.table('Attempts', ['attempt', 'kill at', 'outcome', 'pages derived', 'pages recorded', 'learners done after'], attempts);
    section.table(
      'Progress as admin sees it (rebuildView, GET /v1/rebuilds/{id})',
      ['at', 'read', 'status', 'segments done', 'learners done', 'errors'],
      views,
    );
    if (!exact || final.status !== 'done' || counted.differences.length > 0 || after.missing > 0) {
      section.over.push({
        figure: 'rebuild correctness',
        why: `learnersDone ${final.learnersDone} of ${LEARNERS}, status ${final.status}, ${after.missing} entries without 2.0, ${counted.differences.length} recount differences`,
        plan: 'A correctness failure, not a budget: see shared/domain/rebuild.ts and test/api/rebuild-kills.test.ts.',
      });
    }
    return section.finish();
  } finally {
    await env.close();
  }
}

import { beforeAll, describe, expect, it } from 'vitest';
import { benchCourses } from '../../bench/lib/fixtures';
import { seedLearners } from '../../bench/lib/seed-learners';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import { putCourse } from '../../shared/data/courses';
import { LEARNER_SEGMENTS, type LearnerProfile } from '../../shared/data/learners';
import { poolEntries } from '../../shared/data/pools';
import { shardOf } from '../../shared/data/shards';
import { poolsOf } from '../../shared/domain/candidate-pool';
import { runRebuild, type RebuildCheckpoint } from '../../shared/domain/rebuild';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount } from '../../shared/progress/recount';
import { call } from '../support/api';
import { adminToken, installCatalog20, seedCatalog } from '../support/fixtures';

/**
 * A rebuild killed at every step resumes where it was recorded and counts each learner
 * once: 180 learners, 150 of them in the first segment (two pages of the rebuild's 100)
 * so kills land between pages of one segment as well as between segments. The bench
 * (`npx tsx bench/run.ts rebuild`) does the same over 10,000 learners.
 */
const FIRST_SEGMENT = 150;
const OTHERS = 30;

let admin: string;
let profiles: LearnerProfile[];
const segmentSize = new Array<number>(LEARNER_SEGMENTS).fill(0);

async function catchUp() {
  for (;;) {
    const result = await runAggregation();
    if (result.leaseHeld && result.batches === 0) return;
  }
}

beforeAll(async () => {
  await seedCatalog();
  admin = await adminToken();
  const now = new Date();
  const courses = benchCourses(bundledCatalogVersions()[0]!, 24, now.toISOString());
  for (const { course, roles } of courses) await putCourse(course, roles);
  const ids: string[] = [];
  for (let n = 0; ids.length < FIRST_SEGMENT + OTHERS; n++) {
    const id = `rk-${String(n).padStart(6, '0')}`;
    const segment = shardOf(id, LEARNER_SEGMENTS);
    const inFirst = segmentSize[0]!;
    if (segment === 0 ? inFirst === FIRST_SEGMENT : ids.length - inFirst === OTHERS) continue;
    ids.push(id);
    segmentSize[segment]!++;
  }
  ({ profiles } = await seedLearners({ ids, courses: courses.map((c) => c.course), now }));
  await catchUp();
}, 60_000);

describe('a rebuild killed at any step', () => {
  it('resumes from what was recorded, counts every learner once, and leaves the progress exact', async () => {
    const rebuildUrl = await installCatalog20(admin);
    const rebuildId = rebuildUrl.split('/').at(-1)!;
    const view = async () => {
      const res = await call('GET', rebuildUrl, { token: admin });
      expect(res.status, res.text).toBe(200);
      return res.json as { status: string; learnersDone: number; errors: number; segments: { total: number; done: number } };
    };

    // One worker, segments in order; the first segment's pages (the rebuild reads 100 learners a page) are 100 and 50.
    const [, second = 0, third = 0] = segmentSize;
    const kills: { step: Parameters<RebuildCheckpoint>[0]; at: number; recorded: number; segmentsDone: number }[] = [
      { step: 'page-derived', at: 1, recorded: 0, segmentsDone: 0 }, // first page derived, nothing recorded
      { step: 'page-recorded', at: 1, recorded: 100, segmentsDone: 0 }, // first page derived again and recorded
      { step: 'page-derived', at: 1, recorded: 100, segmentsDone: 0 }, // second page derived from the recorded cursor
      { step: 'page-recorded', at: 1, recorded: FIRST_SEGMENT, segmentsDone: 1 }, // derived again, the segment's last page recorded
      { step: 'page-derived', at: 3, recorded: FIRST_SEGMENT + second + third, segmentsDone: 3 }, // between segments
    ];
    for (const kill of kills) {
      let reached = 0;
      await expect(
        runRebuild(rebuildId, {
          segmentsAtOnce: 1,
          checkpoint: (step) => {
            if (step === kill.step && ++reached === kill.at) throw new Error('killed');
          },
        }),
      ).rejects.toThrow('killed');
      expect(await view(), `after a kill at ${kill.step} #${kill.at}`).toMatchObject({
        status: 'running',
        learnersDone: kill.recorded,
        segments: { done: kill.segmentsDone },
      });
    }

    // A plain rerun (what the local scheduler does) finishes it: every learner counted once.
    await runRebuild(rebuildId);
    expect(await view()).toMatchObject({
      status: 'done',
      learnersDone: profiles.length,
      errors: 0,
      segments: { total: LEARNER_SEGMENTS, done: LEARNER_SEGMENTS },
    });

    // Every consenting learner's pool entries carry a 2.0 standing: ranking under 2.0 has nobody pending.
    const pools = [...new Set(profiles.flatMap((p) => poolsOf(p)))];
    const entries = (await Promise.all(pools.map((pool) => poolEntries(pool)))).flat();
    expect(entries).toHaveLength(profiles.reduce((n, p) => n + poolsOf(p).length, 0));
    expect(entries.filter((entry) => !entry.standings?.['2.0'])).toEqual([]);

    // What `npm run progress:recount` checks: once caught up, the aggregates equal the recount.
    await catchUp();
    expect((await recount()).differences).toEqual([]);
  }, 60_000);
});

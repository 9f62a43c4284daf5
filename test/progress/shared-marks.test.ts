import { beforeAll, describe, expect, it } from 'vitest';
import { pendingRecordKeys, readAggregates, scanAggregateIds } from '../../shared/data/aggregation';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount } from '../../shared/progress/recount';
import { call } from '../support/api';
import { createLearner, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

/**
 * A learner's burst of completions shares one pending mark (shared/data/completions.ts):
 * the mark waits KANRYU_PROGRESS_HOLD_SECONDS before the aggregation takes it, and a
 * completion written while it waits (with a margin of a third of the hold) needs no mark
 * of its own. Here the hold is 3 s (the product's default is 30); the other test files
 * run with 0, every record marked.
 */
process.env.KANRYU_PROGRESS_HOLD_SECONDS = '3';
const HOLD_MS = 3000;

const PROVIDER_ORG = 'prov-shared';
let providerJwt: string;
const courses: string[] = [];

beforeAll(async () => {
  await seedCatalog();
  providerJwt = await providerToken(PROVIDER_ORG);
  for (const [i, skill] of ['data-platform-design', 'technology-trends', 'data-platform-design', 'technology-trends'].entries()) {
    courses.push(await registerCourse(providerJwt, { title: `講座${i}`, skills: [{ skill, level: 'b' }] }));
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function report(learnerId: string, course: number, completedOn: string) {
  const res = await call('POST', '/v1/completions', { token: providerJwt, body: { learnerId, courseId: courses[course], completedOn } });
  expect(res.status, res.text).toBe(201);
}

/** The pending index entries of one learner's records. */
async function marksOf(learnerId: string) {
  return (await pendingRecordKeys(1000)).filter((key) => key.pk.endsWith(learnerId));
}

async function verifiedCompletions(): Promise<number> {
  let verified = 0;
  for (const [id, cells] of await readAggregates(await scanAggregateIds())) if (id.startsWith('COMPLETIONS#')) verified += cells.verified ?? 0;
  return verified;
}

/** Waits out the hold, then runs the job until nothing is pending. */
async function catchUp() {
  await sleep(HOLD_MS + 100);
  for (let run = 0; run < 20; run++) {
    await runAggregation();
    if ((await pendingRecordKeys(1)).length === 0) return;
    await sleep(200);
  }
  throw new Error('the aggregation did not catch up');
}

describe('shared pending marks', () => {
  it("counts a learner's burst through one mark, taken only once the hold has passed", async () => {
    await createLearner('burst-1', { residence: { municipality: '131016' } }, { linkProviders: [PROVIDER_ORG] });
    const before = await verifiedCompletions();
    for (const [i, day] of ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04'].entries()) await report('burst-1', i, day);
    // One index entry for four records.
    expect(await marksOf('burst-1')).toHaveLength(1);
    // Not due yet: the job leaves the burst alone, and progress has not moved.
    expect((await runAggregation()).records).toBe(0);
    expect(await verifiedCompletions()).toBe(before);

    await catchUp();
    expect(await verifiedCompletions()).toBe(before + 4);
    expect(await marksOf('burst-1')).toEqual([]);
    expect((await recount()).differences).toEqual([]);
  });

  it('marks a completion written too close to the turn of the mark it would share', async () => {
    await createLearner('late-1', { residence: { municipality: '271403' } }, { linkProviders: [PROVIDER_ORG] });
    await report('late-1', 0, '2025-06-01');
    // Past the point (hold minus a third) after which a new record may not rely on that mark.
    await sleep((HOLD_MS * 2) / 3 + 200);
    await report('late-1', 1, '2025-06-02');
    expect(await marksOf('late-1')).toHaveLength(2);
    const before = await verifiedCompletions();
    await catchUp();
    expect(await verifiedCompletions()).toBe(before + 2);
    expect((await recount()).differences).toEqual([]);
  });

  it('stays exact when completions keep arriving while runners take the marks they share', async () => {
    const learners = ['race-1', 'race-2', 'race-3'];
    for (const id of learners) await createLearner(id, { residence: { municipality: '131016' } }, { linkProviders: [PROVIDER_ORG] });
    const before = await verifiedCompletions();
    let written = 0;
    let running = true;
    // Runners poll all along, as the job does; each learner reports a completion every ~400 ms
    // for ~9 s, so marks fall due, are taken and new completions rely on fresh ones throughout.
    const runners = (async () => {
      while (running) {
        await runAggregation();
        await sleep(50);
      }
    })();
    await Promise.all(
      learners.map(async (id, l) => {
        for (let k = 0; k < 22; k++) {
          const day = new Date(Date.UTC(2024, 3, 1) + (k * 3 + l) * 86_400_000).toISOString().slice(0, 10);
          await report(id, k % courses.length, day);
          written++;
          await sleep(400);
        }
      }),
    );
    running = false;
    await runners;
    await catchUp();
    expect(await verifiedCompletions()).toBe(before + written);
    expect((await recount()).differences).toEqual([]);
  }, 60_000);
});

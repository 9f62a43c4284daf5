import { parseArgs } from 'node:util';
import { useDataTarget } from './lib/data-target';
import { seedBundledCatalog } from '../shared/domain/catalog-seed';
import { getCatalogVersion } from '../shared/data/catalog';
import { putCourse } from '../shared/data/courses';
import { saveOwnProfile } from '../shared/domain/learners';
import { checkCompletion, storeCompletion } from '../shared/domain/completions';
import { linkProvider } from '../shared/domain/provider-links';
import { decideAccreditation, requestAccreditation } from '../shared/domain/accreditation';
import { runAggregation } from '../shared/progress/aggregator';
import { pendingRecordKeys } from '../shared/data/aggregation';
import { localGovernmentCheckDigit, PREFECTURE_CODES } from '../shared/ids';
import { mulberry32 } from '../bench/lib/matching-generate';
import { addDays, daysBetween, japanDate } from '../shared/time/japan-time';

/**
 * `npm run seed:demo -- --learners 10000 [--seed 1]`: fills the target (the running local
 * host's DynamoDB by default) with providers, courses, learners across the 47 prefectures
 * and their completions, through the same domain code the API uses, then lets the
 * aggregation catch up. Deterministic for a given seed; learner ids start with "demo-".
 */
const { values } = parseArgs({
  options: { learners: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '24' } },
});
const learnerCount = Number(values.learners);
if (!Number.isInteger(learnerCount) || learnerCount < 1 || learnerCount > 1_000_000) {
  console.error('--learners must be a whole number from 1 to 1000000');
  process.exit(2);
}

const target = await useDataTarget().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

const random = mulberry32(Number(values.seed));
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const now = new Date();
const today = japanDate(now);
console.error(`seeding ${learnerCount} learners into ${target}`);

await seedBundledCatalog(now);
const catalog = (await getCatalogVersion('1.2'))!;

// Courses: for each role, a course attaining its 'a' and 'b' items; a few certifications.
type Course = Parameters<typeof putCourse>[0];
const courses: Course[] = [];
for (const [i, role] of catalog.promotion.roles.entries()) {
  const rated = Object.entries(catalog.promotion.importance[role.id] ?? {}).filter(([, level]) => level === 'a' || level === 'b');
  const course: Course = {
    courseId: `crs_${(i + 1).toString(16).padStart(20, '0')}`,
    providerId: `demo-provider-${(i % 3) + 1}`,
    title: `${role.ja} 実践講座`,
    delivery: 'online',
    hours: 40,
    catalogVersion: '1.2',
    literacyItems: catalog.literacy.items.slice(i, i + 5).map((item) => ({ item: item.id, level: 'c' as const })),
    skills: rated.map(([skill, level]) => ({ skill, level: level as 'a' | 'b' })),
    certification: i % 5 === 0,
    createdAt: now.toISOString(),
  };
  courses.push(course);
  await putCourse(course, [role.id]);
  // Accredited by the office as its provider asks (POST /v1/courses/{id}/accreditation-requests, then admin's decision): only then do they count.
  const asked = await requestAccreditation(
    { sub: `${course.providerId}-staff`, role: 'provider', org: course.providerId },
    course.courseId,
    { scheme: 'meti-reskill', validFrom: '2022-04-01' },
    now,
  );
  await decideAccreditation({ sub: 'demo-admin', role: 'admin' }, asked.requestId, { decision: 'approve', reason: 'demo data' }, now);
}

const municipalityOf = (prefecture: string) => `${prefecture}201${localGovernmentCheckDigit(`${prefecture}201`)}`;
const spanDays = daysBetween('2022-04-01', today);
let done = 0;
let next = 0;
async function worker() {
  while (next < learnerCount) {
    const n = next++;
    const learnerId = `demo-${String(n).padStart(7, '0')}`;
    const prefecture = random() < 0.3 ? pick(['11', '12', '13', '14', '23', '27']) : pick(PREFECTURE_CODES);
    await saveOwnProfile(
      { sub: learnerId, role: 'learner' },
      {
        residence: { municipality: municipalityOf(prefecture) },
        workPrefectures: [pick(PREFECTURE_CODES)],
        workStyles: [pick(['full-time', 'side-job', 'dispatch', 'remote'] as const)],
        turn: { intent: pick(['u-turn', 'i-turn', 'j-turn', 'none'] as const), hometownPrefecture: pick(PREFECTURE_CODES) },
        matchingConsent: random() < 0.6,
      },
      now,
    );
    const completions = 1 + Math.floor(random() * 3);
    for (let c = 0; c < completions; c++) {
      const course = pick(courses);
      const verified = random() < 0.7;
      const actor = verified
        ? { sub: `${course.providerId}-staff`, role: 'provider' as const, org: course.providerId }
        : { sub: learnerId, role: 'learner' as const };
      // The learner links the provider first (PUT /v1/learners/me/providers/{id}): its reports count only then.
      if (verified) await linkProvider({ sub: learnerId, role: 'learner' }, course.providerId, now);
      const checked = await checkCompletion(
        actor,
        {
          learnerId,
          courseId: course.courseId,
          completedOn: addDays('2022-04-01', Math.floor(random() * spanDays)),
          ...(verified ? {} : { evidence: { certificateNumber: `DEMO-${n}-${c}` } }),
        },
        now,
        // The demo's learners are taken to have linked the providers reporting for them.
        { course: async () => course, learnerPrefecture: async () => prefecture, linked: async () => true },
      );
      if (checked.ok) await storeCompletion(actor, checked.completion);
    }
    if (++done % 1000 === 0) console.error(`  ${done} learners`);
  }
}
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));

console.error('letting the aggregation catch up…');
while ((await pendingRecordKeys(1)).length > 0) {
  const result = await runAggregation();
  // Nothing done: another runner holds the lease, or the marks left wait out their hold.
  if (!result.leaseHeld || result.records === 0) await new Promise((resolve) => setTimeout(resolve, 500));
}
console.error(`done: ${learnerCount} learners, ${courses.length} courses. Try: curl -s localhost:3000/v1/progress`);

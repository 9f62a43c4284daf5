import { forEachConcurrently } from '../../shared/concurrency';
import type { Course } from '../../shared/data/courses';
import { putLearnerProfile, type LearnerProfile, type WorkStyle } from '../../shared/data/learners';
import { putProviderLink } from '../../shared/data/provider-links';
import { reportCompletion } from '../../shared/domain/completions';
import { localGovernmentCheckDigit, PREFECTURE_CODES } from '../../shared/ids';
import { addDays, daysBetween, japanDate, TARGET_START } from '../../shared/time/japan-time';
import { mulberry32 } from './matching-generate';

/**
 * Many learners quickly, for the rebuild benchmark and its test: a profile each, written
 * with the data layer as PUT /v1/learners/me stores it (without that request's pool sync:
 * the aggregation publishes the pools once it derives the learner), spread over the 47
 * prefectures and so over every rebuild segment, with a link to each provider that
 * reports for them; then one to three completions each,
 * reported through the domain like POST /v1/completions (70 % verified by the provider,
 * the others self-reported with evidence). Deterministic for a seed. The caller stores the
 * courses first and runs the aggregation afterwards.
 */
const STYLES: readonly WorkStyle[] = ['full-time', 'side-job', 'dispatch', 'remote'];

export const numberedIds = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => `${prefix}${String(n).padStart(6, '0')}`);

export async function seedLearners(options: {
  ids: readonly string[];
  courses: readonly Course[];
  now: Date;
  seed?: number;
  concurrency?: number;
}): Promise<{ profiles: LearnerProfile[]; completions: number }> {
  const random = mulberry32(options.seed ?? 1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const at = options.now.toISOString();
  const span = daysBetween(TARGET_START, japanDate(options.now));
  const profiles: LearnerProfile[] = [];
  const reports: { learnerId: string; course: Course; completedOn: string; verified: boolean; n: number }[] = [];
  for (const [n, learnerId] of options.ids.entries()) {
    const prefecture = pick(PREFECTURE_CODES);
    const matching = random() < 0.8;
    const placeFree = matching && random() < 0.3;
    profiles.push({
      learnerId,
      residence: { prefecture, municipality: `${prefecture}201${localGovernmentCheckDigit(`${prefecture}201`)}` },
      workPrefectures: [...new Set([prefecture, pick(PREFECTURE_CODES)])].sort(),
      workStyles: [...new Set([pick(STYLES), pick(STYLES)])].sort(),
      turn: { intent: 'none' },
      consent: { matching, placeFree, changedAt: at },
      consentHistory: [{ matching, placeFree, at }],
      createdAt: at,
      updatedAt: at,
    });
    const count = 1 + Math.floor(random() * 3);
    for (let c = 0; c < count; c++) {
      reports.push({ learnerId, course: pick(options.courses), completedOn: addDays(TARGET_START, Math.floor(random() * span)), verified: random() < 0.7, n });
    }
  }
  const concurrency = options.concurrency ?? 32;
  await forEachConcurrently(profiles, concurrency, putLearnerProfile);
  // Each learner links the providers that report for them, as PUT /v1/learners/me/providers/{id} stores it.
  const links = new Map(
    reports.filter((r) => r.verified).map((r) => [`${r.learnerId}|${r.course.providerId}`, { learnerId: r.learnerId, providerId: r.course.providerId }]),
  );
  await forEachConcurrently([...links.values()], concurrency, async (link) => {
    await putProviderLink({ ...link, linkedAt: at });
  });
  let completions = 0;
  await forEachConcurrently(reports, concurrency, async ({ learnerId, course, completedOn, verified, n }) => {
    const actor = verified
      ? { sub: `${course.providerId}-staff`, role: 'provider' as const, org: course.providerId }
      : { sub: learnerId, role: 'learner' as const };
    const input = { courseId: course.courseId, completedOn, ...(verified ? { learnerId } : { evidence: { certificateNumber: `SEED-${n}` } }) };
    const { outcome } = await reportCompletion(actor, input, options.now);
    if (outcome === 'created') completions++;
  });
  return { profiles, completions };
}

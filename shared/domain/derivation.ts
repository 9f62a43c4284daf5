import type { CatalogVersion } from '../catalog/model';
import { getCatalogVersion, getCurrentCatalogVersion } from '../data/catalog';
import { allCompletionsOfLearner, type Completion } from '../data/completions';
import { getCourses } from '../data/courses';
import { getLearnerProfile, nextDerivationSeq, putLearnerSkills } from '../data/learners';
import { qualificationsOfLearner, recordQualificationOnce } from '../data/qualifications';
import { countingRules } from '../rules/bundled';
import { fiscalYearOf } from '../time/japan-time';
import { findQualification } from './qualification';
import { computeSkillProfile, type CompletionFact, type CourseCoverage } from './skill-profile';

/**
 * Recomputes everything derived from one learner's completions: the skill profile and
 * tags, and, for each counting rule, the first qualification (recorded once, never moved).
 * Idempotent and safe to run concurrently: the sequence number taken first orders the
 * writes, so the newest read of the completions always wins.
 */
export async function refreshLearner(learnerId: string, now: Date): Promise<{ qualified: string[] }> {
  const seq = await nextDerivationSeq(learnerId);
  const completions = await allCompletionsOfLearner(learnerId);
  const courses = await getCourses(completions.map((c) => c.courseId));
  const coverage = new Map<string, CourseCoverage>([...courses].map(([id, c]) => [id, { courseId: id, catalogVersion: c.catalogVersion, certification: c.certification, literacyItems: c.literacyItems, skills: c.skills }]));
  const current = await getCurrentCatalogVersion();
  const versions = new Set([...courses.values()].map((c) => c.catalogVersion));
  if (current) versions.add(current);
  const catalogs = new Map<string, CatalogVersion>();
  for (const version of versions) {
    const catalog = await getCatalogVersion(version);
    if (catalog) catalogs.set(version, catalog);
  }
  const facts: CompletionFact[] = completions.map(toFact);
  const profile = computeSkillProfile(facts, coverage, catalogs, current);
  await putLearnerSkills({ learnerId, profile, basisSeq: seq, computedAt: now.toISOString(), completionCount: completions.length });

  const already = new Set((await qualificationsOfLearner(learnerId)).map((q) => q.ruleVersion));
  const qualified: string[] = [];
  let residence: string | undefined;
  for (const rule of countingRules) {
    if (already.has(rule.version)) continue;
    const finding = findQualification(rule, facts, coverage, catalogs);
    if (!finding) continue;
    residence ??= (await getLearnerProfile(learnerId))?.residence.prefecture ?? '00';
    const recorded = await recordQualificationOnce({
      learnerId,
      ruleVersion: rule.version,
      qualifiedOn: finding.qualifiedOn,
      fiscalYear: fiscalYearOf(finding.qualifiedOn),
      prefecture: residence,
      clause: finding.clause,
      roles: finding.roles,
      types: finding.types,
      ...(finding.catalogVersion ? { catalogVersion: finding.catalogVersion } : {}),
      evidence: finding.evidence,
      recordedAt: now.toISOString(),
      version: 1,
    });
    if (recorded) qualified.push(rule.version);
  }
  return { qualified };
}

const toFact = (c: Completion): CompletionFact => ({ completionId: c.completionId, courseId: c.courseId, completedOn: c.completedOn, status: c.status });

import { getCourses, listCoursesForItem } from '../data/courses';
import { loadEvidence, profileOf } from './evidence';
import { getLearnerProfile } from '../data/learners';
import { qualificationsOfLearner } from '../data/qualifications';
import { activeRule } from './counting-rules';
import { fiscalYearOf } from '../time/japan-time';
import { findQualification } from './qualification';
import type { Actor } from '../identity';
import { authorizeLearnerRead } from './learner-access';
import type { VersionStanding } from './skill-profile';
import { attainmentLevels, type AttainmentLevel } from '../catalog/terms';

const rank = (level: AttainmentLevel) => attainmentLevels.length - attainmentLevels.indexOf(level);

/** How many of the closest not-yet-ready roles get course suggestions. */
const SUGGESTED_ROLES = 3;
const COURSES_PER_ITEM = 3;

/**
 * For the roles a learner is closest to (but not ready for), the courses that would close
 * each missing item: courses of the same catalog version that attain at least the level
 * the role needs.
 */
async function suggestCourses(standing: VersionStanding) {
  const closest = standing.roles
    .filter((r) => r.missing.length > 0)
    .sort((a, b) => b.readiness - a.readiness || a.roleId.localeCompare(b.roleId))
    .slice(0, SUGGESTED_ROLES);
  const missingSkills = [...new Set(closest.flatMap((r) => r.missing.map((m) => m.skillId)))];
  const idsBySkill = new Map<string, string[]>();
  await Promise.all(
    missingSkills.map(async (skillId) => {
      const page = await listCoursesForItem(standing.version, skillId, { cursor: undefined, limit: 20 });
      idsBySkill.set(
        skillId,
        page.items.map((course) => course.courseId),
      );
    }),
  );
  const courses = await getCourses([...idsBySkill.values()].flat());
  return closest.map((role) => ({
    roleId: role.roleId,
    readiness: role.readiness,
    missing: role.missing.map((m) => ({
      ...m,
      courses: (idsBySkill.get(m.skillId) ?? [])
        .map((id) => courses.get(id))
        .filter((c) => c?.skills.some((s) => s.skill === m.skillId && rank(s.level) >= rank(m.required)))
        .slice(0, COURSES_PER_ITEM)
        .map((c) => ({ courseId: c!.courseId, title: c!.title, providerId: c!.providerId })),
    })),
  }));
}

export async function learnerSkillsView(actor: Actor, learnerId: string, now: Date) {
  await authorizeLearnerRead(actor, learnerId, 'skills', now);
  // Explained in full from the evidence itself; the stored summary only serves ranking.
  const [evidence, qualifications, learner] = await Promise.all([loadEvidence(learnerId), qualificationsOfLearner(learnerId), getLearnerProfile(learnerId)]);
  const profile = profileOf(evidence);
  // Read-your-writes: a qualification the job has not recorded yet is derived here, and says so.
  const recorded = new Set(qualifications.map((q) => q.ruleVersion));
  const pending = [await activeRule()].flatMap((rule) => {
    if (recorded.has(rule.version)) return [];
    const finding = findQualification(rule, evidence.facts, evidence.coverage, evidence.catalogs, evidence.accreditations);
    if (!finding) return [];
    return [{ ...finding, fiscalYear: fiscalYearOf(finding.qualifiedOn), prefecture: learner?.residence.prefecture ?? '00', pending: true as const }];
  });
  const latest = profile.versions.find((v) => v.version === evidence.current) ?? profile.versions[profile.versions.length - 1];
  return {
    learnerId,
    completionCount: evidence.completions.length,
    currentVersion: evidence.current ?? null,
    versions: profile.versions,
    certifications: profile.certifications,
    qualifications: [...qualifications.map(({ learnerId: _l, version: _v, ...q }) => q), ...pending],
    suggestions: latest ? { version: latest.version, roles: await suggestCourses(latest) } : null,
  };
}

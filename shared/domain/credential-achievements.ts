import type { CatalogVersion } from '../catalog/model';
import { credentialUrls, type AchievementDefinition, type Alignment } from '../credentials/open-badge';
import { getCourses } from '../data/courses';
import { activeRule } from './counting-rules';
import { loadEvidence, type Evidence } from './evidence';
import { findQualification } from './qualification';
import { computeSkillProfile, ROLE_READY_THRESHOLD, type CompletionFact } from './skill-profile';

/**
 * What a learner can hold a credential for, derived from their verified evidence exactly
 * as their skills view derives it: qualified under the current counting rule, ready for a
 * DSS-P role (verified readiness at or above the threshold), or a verified completion of
 * a course inside a period of its accreditation.
 */
const skillAlignment = (catalog: CatalogVersion, skillId: string, level?: string): Alignment => {
  const skill = catalog.promotion.skills.find((s) => s.id === skillId);
  return {
    type: ['Alignment'],
    targetName: skill?.ja ?? skillId,
    targetUrl: `${credentialUrls().catalog(catalog.version)}#skill-${skillId}`,
    targetCode: skillId,
    targetFramework: `${catalog.promotion.standard} (catalog ${catalog.version})`,
    ...(level ? { targetDescription: `level ${level}` } : {}),
  };
};

const literacyAlignment = (catalog: CatalogVersion, itemId: string, level?: string): Alignment => {
  const item = catalog.literacy.items.find((i) => i.id === itemId);
  return {
    type: ['Alignment'],
    targetName: item?.ja ?? itemId,
    targetUrl: `${credentialUrls().catalog(catalog.version)}#literacy-${itemId}`,
    targetCode: itemId,
    targetFramework: `${catalog.literacy.standard} (catalog ${catalog.version})`,
    ...(level ? { targetDescription: `level ${level}` } : {}),
  };
};

const roleAlignment = (catalog: CatalogVersion, roleId: string): Alignment => {
  const role = catalog.promotion.roles.find((r) => r.id === roleId);
  return {
    type: ['Alignment'],
    targetName: role?.ja ?? roleId,
    targetUrl: credentialUrls().role(catalog.version, roleId),
    targetCode: roleId,
    targetFramework: `${catalog.promotion.standard} (catalog ${catalog.version})`,
    targetType: 'ext:Role',
  };
};

/** The first of the sorted days on which `holds` becomes true (it only ever turns true as evidence grows). */
function firstDay(facts: readonly CompletionFact[], holds: (upTo: CompletionFact[]) => boolean): string | undefined {
  const days = [...new Set(facts.map((f) => f.completedOn))].sort();
  const upTo = (day: string) => facts.filter((f) => f.completedOn <= day);
  if (days.length === 0 || !holds(upTo(days[days.length - 1]!))) return undefined;
  let low = 0;
  let high = days.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (holds(upTo(days[middle]!))) high = middle;
    else low = middle + 1;
  }
  return days[low];
}

/** The DSS-P skills the accreditations behind these completions attest (a certification's qualification). */
function attestedSkills(evidence: Evidence, completionIds: readonly string[]): Alignment[] {
  const seen = new Set<string>();
  return evidence.completions
    .filter((c) => completionIds.includes(c.completionId))
    .flatMap((c) => {
      const catalog = evidence.catalogs.get(evidence.coverage.get(c.courseId)?.catalogVersion ?? '');
      const period = [...(evidence.accreditations.get(c.courseId) ?? [])].reverse().find((p) => p.validFrom <= c.completedOn && c.completedOn <= p.validTo);
      if (!catalog || !period) return [];
      return period.skills.filter((s) => !seen.has(s.skill) && seen.add(s.skill)).map((s) => skillAlignment(catalog, s.skill, s.level));
    });
}

export async function achievementsHeld(learnerId: string, evidence?: Evidence): Promise<AchievementDefinition[]> {
  const loaded = evidence ?? (await loadEvidence(learnerId));
  const [rule, courses] = await Promise.all([activeRule(), getCourses([...new Set(loaded.completions.map((c) => c.courseId))])]);
  const verified = loaded.facts.filter((f) => f.status === 'verified');
  const completionEvidence = (ids: readonly string[]) =>
    loaded.completions
      .filter((c) => ids.includes(c.completionId) && c.status === 'verified')
      .map((c) => ({
        id: `${credentialUrls().course(c.courseId)}#completion-${c.completedOn}`,
        name: courses.get(c.courseId)?.title ?? c.courseId,
        narrative: `Completed on ${c.completedOn}; reported and verified by training provider ${c.providerId}.`,
      }));
  const held: AchievementDefinition[] = [];

  const finding = findQualification(rule, loaded.facts, loaded.coverage, loaded.catalogs, loaded.accreditations);
  if (finding) {
    const catalog = finding.catalogVersion ? loaded.catalogs.get(finding.catalogVersion) : undefined;
    held.push({
      key: `qualified:${rule.version}`,
      name: `デジタル推進人材 (counting rule ${rule.version})`,
      description: `Counted toward the national target of 2,300,000 digital promotion talent under counting rule ${rule.version} (clause: ${finding.clause}).`,
      criteria: `Meets counting rule ${rule.version} of the national programme with verified, accredited evidence.`,
      achievementType: 'Certification',
      alignment: catalog ? finding.roles.map((roleId) => roleAlignment(catalog, roleId)) : attestedSkills(loaded, finding.evidence),
      heldSince: finding.qualifiedOn,
      evidence: completionEvidence(finding.evidence),
    });
  }

  const profile = computeSkillProfile(loaded.facts, loaded.coverage, loaded.catalogs, loaded.current);
  for (const standing of profile.versions) {
    const catalog = loaded.catalogs.get(standing.version)!;
    for (const role of standing.roles.filter((r) => r.readiness >= ROLE_READY_THRESHOLD)) {
      const readyOn = firstDay(verified, (upTo) => {
        const at = computeSkillProfile(upTo, loaded.coverage, loaded.catalogs, standing.version).versions.find((v) => v.version === standing.version);
        return (at?.roles.find((r) => r.roleId === role.roleId)?.readiness ?? 0) >= ROLE_READY_THRESHOLD;
      });
      if (!readyOn) continue;
      const evidenceIds = standing.skills.filter((s) => role.met.includes(s.id)).flatMap((s) => s.verified?.completions ?? []);
      held.push({
        key: `role-ready:${standing.version}:${role.roleId}`,
        name: `${catalog.promotion.roles.find((r) => r.id === role.roleId)?.ja ?? role.roleId} (DSS-P ${standing.version} role-ready)`,
        description: `Verified readiness ${Math.round(role.readiness * 100)}% for the DSS-P ${standing.version} role ${role.roleId}.`,
        criteria: `Importance-weighted share of the role's rated skills met at the required level, from verified completions, at least ${ROLE_READY_THRESHOLD * 100}%.`,
        achievementType: 'Competency',
        alignment: [roleAlignment(catalog, role.roleId), ...role.met.map((skillId) => skillAlignment(catalog, skillId))],
        heldSince: readyOn,
        evidence: completionEvidence([...new Set(evidenceIds)]),
      });
    }
  }

  const accreditedCourses = new Map<
    string,
    { completionIds: string[]; firstDay: string; period: NonNullable<ReturnType<Evidence['accreditations']['get']>>[number] }
  >();
  for (const completion of loaded.completions.filter((c) => c.status === 'verified').sort((a, b) => a.completedOn.localeCompare(b.completedOn))) {
    const period = [...(loaded.accreditations.get(completion.courseId) ?? [])]
      .reverse()
      .find((p) => p.validFrom <= completion.completedOn && completion.completedOn <= p.validTo);
    if (!period) continue;
    const entry = accreditedCourses.get(completion.courseId);
    if (entry) entry.completionIds.push(completion.completionId);
    else accreditedCourses.set(completion.courseId, { completionIds: [completion.completionId], firstDay: completion.completedOn, period });
  }
  for (const [courseId, entry] of accreditedCourses) {
    const course = courses.get(courseId);
    const catalog = course ? loaded.catalogs.get(course.catalogVersion) : undefined;
    held.push({
      key: `course:${courseId}`,
      name: course?.title ?? courseId,
      description: `Completion, verified by its provider, of a course accredited by the national office (scheme ${entry.period.scheme}).`,
      criteria: `Complete the course within a validity period of its accreditation; the provider reports and verifies the completion.`,
      achievementType: entry.period.certification ? 'Certification' : 'Course',
      alignment: catalog
        ? [
            ...entry.period.skills.map((s) => skillAlignment(catalog, s.skill, s.level)),
            ...entry.period.literacyItems.map((i) => literacyAlignment(catalog, i.item, i.level)),
          ]
        : [],
      heldSince: entry.firstDay,
      evidence: completionEvidence(entry.completionIds),
    });
  }
  return held;
}

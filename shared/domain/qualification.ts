import type { CatalogVersion } from '../catalog/model';
import type { CountingRule, RuleClause } from '../rules/model';
import { computeSkillProfile, type CompletionFact, type CourseCoverage, type SkillProfile } from './skill-profile';

/** Why a learner counts under a rule: the clause, the day, and the completions behind it. */
export interface QualificationFinding {
  ruleVersion: string;
  qualifiedOn: string;
  clause: RuleClause['kind'];
  /** For role readiness: the roles (and their talent types) that met the threshold. */
  roles: string[];
  types: string[];
  catalogVersion?: string;
  evidence: string[];
}

function satisfied(rule: CountingRule, clause: RuleClause, profile: SkillProfile, completions: readonly CompletionFact[]) {
  const usable = (status: string) => rule.evidence === 'any' || status === 'verified';
  switch (clause.kind) {
    case 'certification': {
      const certificate = profile.certifications.find((c) => usable(c.status));
      return certificate ? { roles: [], types: [], evidence: [certificate.completionId] } : undefined;
    }
    case 'literacy-complete': {
      for (const standing of profile.versions) {
        const covered = rule.evidence === 'any' ? standing.literacy.coveredWithSelfReported : standing.literacy.covered;
        if (covered === standing.literacy.total && standing.literacy.total > 0) {
          const evidence = standing.literacy.items.flatMap((i) =>
            rule.evidence === 'any' ? [...(i.verified?.completions ?? []), ...(i.selfReported?.completions ?? [])] : (i.verified?.completions ?? []),
          );
          return { roles: [], types: [], catalogVersion: standing.version, evidence: [...new Set(evidence)].sort() };
        }
      }
      return undefined;
    }
    case 'role-readiness': {
      for (const standing of profile.versions) {
        const ready = standing.roles.filter((r) => (rule.evidence === 'any' ? r.readinessWithSelfReported : r.readiness) >= clause.minReadiness);
        if (ready.length > 0) {
          const metSkills = new Set(ready.flatMap((r) => r.met));
          const evidence = standing.skills.filter((s) => metSkills.has(s.id)).flatMap((s) => s.verified?.completions ?? []);
          return {
            roles: ready.map((r) => r.roleId),
            types: [...new Set(ready.map((r) => r.typeId))],
            catalogVersion: standing.version,
            evidence: [...new Set(evidence.length ? evidence : completions.map((c) => c.completionId))].sort(),
          };
        }
      }
      return undefined;
    }
  }
}

/**
 * The first day on which the learner's evidence met the rule, or undefined if it is not
 * met today. Meeting a rule only gets easier with more evidence (levels, coverage and
 * certifications never shrink as completions are added), so the day is found by binary
 * search over the completion dates: a handful of profile computations, not one per date.
 */
export function findQualification(
  rule: CountingRule,
  completions: readonly CompletionFact[],
  courses: Map<string, CourseCoverage>,
  catalogs: Map<string, CatalogVersion>,
): QualificationFinding | undefined {
  const dates = [...new Set(completions.map((c) => c.completedOn))].sort();
  const findingOn = (day: string) => {
    const upToDay = completions.filter((c) => c.completedOn <= day);
    // Only versions the evidence itself names: a catalog loaded later must not move the day.
    const profile = computeSkillProfile(upToDay, courses, catalogs, undefined);
    for (const clause of rule.anyOf) {
      const found = satisfied(rule, clause, profile, upToDay);
      if (found) return { ruleVersion: rule.version, qualifiedOn: day, clause: clause.kind, ...found };
    }
    return undefined;
  };
  if (dates.length === 0 || !findingOn(dates[dates.length - 1]!)) return undefined;
  let low = 0;
  let high = dates.length - 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (findingOn(dates[middle]!)) high = middle;
    else low = middle + 1;
  }
  return findingOn(dates[low]!);
}

import type { CatalogVersion } from '../catalog/model';
import type { CountingRule, RuleClause } from '../rules/model';
import { computeSkillProfile, type CompletionFact, type CourseCoverage, type SkillProfile } from './skill-profile';

/**
 * One validity period of a course's accreditation, as the national office granted it: the
 * scheme, the DSS items and levels it attests (not what the course claims today), and the
 * days evidence counts on (inclusive, Japan dates).
 */
export interface AccreditationPeriod {
  scheme: string;
  certification: boolean;
  literacyItems: CourseCoverage['literacyItems'];
  skills: CourseCoverage['skills'];
  validFrom: string;
  validTo: string;
}

/** Per course id, its accreditation's validity periods, oldest grant first. */
export type AccreditationPeriods = ReadonlyMap<string, readonly AccreditationPeriod[]>;

interface CountedEvidence {
  facts: CompletionFact[];
  coverage: Map<string, CourseCoverage>;
  /** The scheme behind each (period) course id, when the evidence is under accreditation. */
  schemeOf: Map<string, string>;
}

/**
 * The evidence a rule counts. A rule that asks for accredited evidence sees each completion
 * as a completion of its course's accreditation period covering the completion's day (the
 * latest granted, if several do), with the items and levels that period attests; a
 * completion no period covers (no accreditation, dated outside, or after a suspension) is
 * left out. It still builds the skill profile: only the count ignores it.
 */
export function evidenceUnder(
  rule: CountingRule,
  facts: readonly CompletionFact[],
  coverage: Map<string, CourseCoverage>,
  accreditations: AccreditationPeriods,
): CountedEvidence {
  if (!rule.accreditedEvidenceOnly) return { facts: [...facts], coverage, schemeOf: new Map() };
  const counted: CountedEvidence = { facts: [], coverage: new Map(), schemeOf: new Map() };
  for (const fact of facts) {
    const course = coverage.get(fact.courseId);
    const periods = accreditations.get(fact.courseId) ?? [];
    let index = -1;
    periods.forEach((p, i) => {
      if (p.validFrom <= fact.completedOn && fact.completedOn <= p.validTo) index = i;
    });
    if (!course || index < 0) continue;
    const period = periods[index]!;
    const id = `${fact.courseId}@${index}`;
    counted.coverage.set(id, {
      courseId: id,
      catalogVersion: course.catalogVersion,
      certification: period.certification,
      literacyItems: period.literacyItems,
      skills: period.skills,
    });
    counted.schemeOf.set(id, period.scheme);
    counted.facts.push({ ...fact, courseId: id });
  }
  return counted;
}

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

function satisfied(rule: CountingRule, clause: RuleClause, profile: SkillProfile, completions: readonly CompletionFact[], counted: CountedEvidence) {
  const usable = (status: string) => rule.evidence === 'any' || status === 'verified';
  const certifiedUnder = (schemes: readonly string[], needsSkill: boolean) => {
    const certificate = profile.certifications.find(
      (c) =>
        usable(c.status) &&
        schemes.includes(counted.schemeOf.get(c.courseId) ?? '') &&
        (!needsSkill || (counted.coverage.get(c.courseId)?.skills.length ?? 0) > 0),
    );
    return certificate ? { roles: [], types: [], evidence: [certificate.completionId] } : undefined;
  };
  switch (clause.kind) {
    case 'accredited-certification':
      return certifiedUnder(clause.schemes, true);
    case 'entry-level-exam':
      return clause.counts ? certifiedUnder(clause.schemes, false) : undefined;
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
  accreditations: AccreditationPeriods = new Map(),
): QualificationFinding | undefined {
  const counted = evidenceUnder(rule, completions, courses, accreditations);
  const dates = [...new Set(counted.facts.map((c) => c.completedOn))].sort();
  const findingOn = (day: string) => {
    const upToDay = counted.facts.filter((c) => c.completedOn <= day);
    // Only versions the evidence itself names: a catalog loaded later must not move the day.
    const profile = computeSkillProfile(upToDay, counted.coverage, catalogs, undefined);
    for (const clause of rule.anyOf) {
      const found = satisfied(rule, clause, profile, upToDay, counted);
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

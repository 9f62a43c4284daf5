import type { CatalogVersion } from '../catalog/model';
import type { CandidateFacts } from '../matching/score';
import { standingFor, type CompletionFact, type CourseCoverage } from './skill-profile';

/**
 * What ranking needs of a learner under one catalog version, in a few hundred bytes: the
 * verified and self-reported level of each DSS-P item as one character per item (in the
 * version's item order; "-" for none), and readiness per role as an integer per mille
 * (in the version's role order). Catalog versions never change once installed, so the
 * positions stay meaningful for as long as the version exists.
 */
export interface CompactStanding {
  verified: string;
  selfReported: string;
  readiness: number[];
}

const NONE = '-';

export function compactStanding(catalog: CatalogVersion, facts: readonly CompletionFact[], courses: Map<string, CourseCoverage>): CompactStanding {
  const standing = standingFor(catalog, [...facts], courses);
  const levels = new Map(standing.skills.map((s) => [s.id, s]));
  const column = (of: 'verified' | 'selfReported') => catalog.promotion.skills.map((skill) => levels.get(skill.id)?.[of]?.level ?? NONE).join('');
  const readiness = new Map(standing.roles.map((r) => [r.roleId, Math.round(r.readiness * 1000)]));
  return {
    verified: column('verified'),
    selfReported: column('selfReported'),
    readiness: catalog.promotion.roles.map((role) => readiness.get(role.id) ?? 0),
  };
}

/** One compact standing per catalog version given: every installed version, so any opening can be ranked. */
export function compactStandings(
  catalogs: ReadonlyMap<string, CatalogVersion>,
  facts: readonly CompletionFact[],
  courses: Map<string, CourseCoverage>,
): Record<string, CompactStanding> {
  return Object.fromEntries([...catalogs.values()].map((catalog) => [catalog.version, compactStanding(catalog, facts, courses)]));
}

/** The entry's standing under this catalog version, or undefined when it has none that fits the version (pending). */
export function currentStanding(entry: { standings?: Record<string, CompactStanding> }, catalog: CatalogVersion): CompactStanding | undefined {
  const standing = entry.standings?.[catalog.version];
  if (!standing || standing.verified.length !== catalog.promotion.skills.length || standing.readiness.length !== catalog.promotion.roles.length)
    return undefined;
  return standing;
}

/**
 * The standing back in the shape scoring reads, or undefined when it was derived for no
 * such version (or for a catalog whose item list differs): such an entry is pending a
 * rebuild and is never scored as if it were current.
 */
export function candidateFactsOf(
  entry: { learnerId: string; workStyles: string[]; standings?: Record<string, CompactStanding> },
  catalog: CatalogVersion,
): CandidateFacts | undefined {
  const standing = currentStanding(entry, catalog);
  const skills = catalog.promotion.skills;
  const roles = catalog.promotion.roles;
  if (!standing) return undefined;
  const levels = (column: string) => {
    const found: Record<string, string> = {};
    for (let i = 0; i < skills.length; i++) if (column[i] !== NONE) found[skills[i]!.id] = column[i]!;
    return found;
  };
  const readiness: Record<string, number> = {};
  for (let i = 0; i < roles.length; i++) if (standing.readiness[i]! > 0) readiness[roles[i]!.id] = standing.readiness[i]! / 1000;
  return {
    learnerId: entry.learnerId,
    workStyles: entry.workStyles,
    verified: levels(standing.verified),
    selfReported: levels(standing.selfReported),
    readiness,
  };
}

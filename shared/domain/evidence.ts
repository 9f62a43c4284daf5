import type { CatalogVersion } from '../catalog/model';
import { getCatalogVersion, getCurrentCatalogVersion } from '../data/catalog';
import { allCompletionsOfLearner, type Completion } from '../data/completions';
import { getCourses } from '../data/courses';
import { computeSkillProfile, type CompletionFact, type CourseCoverage, type SkillProfile } from './skill-profile';

/** Everything a learner's standing is computed from: completions, their courses, the catalogs. */
export interface Evidence {
  completions: Completion[];
  facts: CompletionFact[];
  coverage: Map<string, CourseCoverage>;
  catalogs: Map<string, CatalogVersion>;
  current: string | undefined;
}

export async function loadEvidence(learnerId: string): Promise<Evidence> {
  const completions = await allCompletionsOfLearner(learnerId);
  const courses = await getCourses(completions.map((c) => c.courseId));
  const coverage = new Map<string, CourseCoverage>(
    [...courses].map(([id, c]) => [
      id,
      { courseId: id, catalogVersion: c.catalogVersion, certification: c.certification, literacyItems: c.literacyItems, skills: c.skills },
    ]),
  );
  const current = await getCurrentCatalogVersion({ maxAgeMs: 10_000 });
  const versions = new Set([...courses.values()].map((c) => c.catalogVersion));
  if (current) versions.add(current);
  const catalogs = new Map<string, CatalogVersion>();
  for (const version of versions) {
    const catalog = await getCatalogVersion(version);
    if (catalog) catalogs.set(version, catalog);
  }
  const facts = completions.map((c) => ({ completionId: c.completionId, courseId: c.courseId, completedOn: c.completedOn, status: c.status }));
  return { completions, facts, coverage, catalogs, current };
}

export const profileOf = (evidence: Evidence): SkillProfile => computeSkillProfile(evidence.facts, evidence.coverage, evidence.catalogs, evidence.current);

/**
 * The compact standing kept on the learner (about 1 KB): what candidate ranking and
 * matching need, under the current catalog version, plus every tag. The full, explained
 * profile is recomputed on read from the same evidence by the same function.
 */
export interface SkillSummary {
  version: string | null;
  verified: Record<string, string>;
  selfReported: Record<string, string>;
  literacyCovered: number;
  readiness: Record<string, number>;
  tags: string[];
}

export function summarize(profile: SkillProfile, current: string | undefined): SkillSummary {
  const standing = profile.versions.find((v) => v.version === current) ?? profile.versions[profile.versions.length - 1];
  const verified: Record<string, string> = {};
  const selfReported: Record<string, string> = {};
  for (const skill of standing?.skills ?? []) {
    if (skill.verified) verified[skill.id] = skill.verified.level;
    if (skill.selfReported) selfReported[skill.id] = skill.selfReported.level;
  }
  return {
    version: standing?.version ?? null,
    verified,
    selfReported,
    literacyCovered: standing?.literacy.covered ?? 0,
    readiness: Object.fromEntries((standing?.roles ?? []).filter((r) => r.readiness > 0).map((r) => [r.roleId, r.readiness])),
    tags: profile.versions.flatMap((v) => v.tags),
  };
}

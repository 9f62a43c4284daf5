import type { CatalogVersion } from '../catalog/model';
import { getCatalogVersion, getCurrentCatalogVersion, listCatalogVersions } from '../data/catalog';
import { allCompletionsOfLearner, type Completion } from '../data/completions';
import { getAccreditations } from '../data/accreditations';
import { getCourses } from '../data/courses';
import type { AccreditationPeriods } from './qualification';
import { computeSkillProfile, type CompletionFact, type CourseCoverage, type SkillProfile } from './skill-profile';
import { compactStandings, type CompactStanding } from './standing';

/** Everything a learner's standing is computed from: completions, their courses, the catalogs. */
export interface Evidence {
  completions: Completion[];
  facts: CompletionFact[];
  coverage: Map<string, CourseCoverage>;
  catalogs: Map<string, CatalogVersion>;
  current: string | undefined;
  /** The validity periods of the courses' accreditations (what a rule asking for accredited evidence counts). */
  accreditations: AccreditationPeriods;
}

let installedCache: { versions: string[]; at: number } | undefined;

/** Installed versions change a few times a year: a derivation may use a list up to 10 s old (the rebuild reads it fresh). */
async function installedVersions(fresh: boolean): Promise<string[]> {
  if (!fresh && installedCache && Date.now() - installedCache.at < 10_000) return installedCache.versions;
  installedCache = { versions: (await listCatalogVersions()).map((v) => v.version), at: Date.now() };
  return installedCache.versions;
}

export async function loadEvidence(learnerId: string, options: { fresh?: boolean; completions?: Completion[] } = {}): Promise<Evidence> {
  // The aggregation passes the completions it has just read for its batch.
  const completions = options.completions ?? (await allCompletionsOfLearner(learnerId));
  const courseIds = completions.map((c) => c.courseId);
  const [courses, accredited] = await Promise.all([getCourses(courseIds), getAccreditations(courseIds)]);
  const accreditations: AccreditationPeriods = new Map([...accredited].map(([id, a]) => [id, a.periods]));
  const coverage = new Map<string, CourseCoverage>(
    [...courses].map(([id, c]) => [
      id,
      { courseId: id, catalogVersion: c.catalogVersion, certification: c.certification, literacyItems: c.literacyItems, skills: c.skills },
    ]),
  );
  const [current, installed] = await Promise.all([
    getCurrentCatalogVersion({ maxAgeMs: options.fresh ? 0 : 10_000 }),
    installedVersions(options.fresh === true),
  ]);
  // Every installed version, not only those the courses name: ranking reads a standing per
  // version, so an opening of any installed version ranks this learner.
  const versions = new Set([...installed, ...[...courses.values()].map((c) => c.catalogVersion)]);
  if (current) versions.add(current);
  const catalogs = new Map<string, CatalogVersion>();
  for (const version of [...versions].sort()) {
    const catalog = await getCatalogVersion(version);
    if (catalog) catalogs.set(version, catalog);
  }
  const facts = completions.map((c) => ({ completionId: c.completionId, courseId: c.courseId, completedOn: c.completedOn, status: c.status }));
  return { completions, facts, coverage, catalogs, current, accreditations };
}

export const profileOf = (evidence: Evidence): SkillProfile => computeSkillProfile(evidence.facts, evidence.coverage, evidence.catalogs, evidence.current);

/** The learner's standing under every installed catalog version, as pool entries carry it. */
export const standingsOf = (evidence: Evidence): Record<string, CompactStanding> => compactStandings(evidence.catalogs, evidence.facts, evidence.coverage);

/**
 * What only grows as the learner's evidence changes: every completion has a version that
 * is bumped on each change, so their sum orders two reads of the same learner's records.
 */
export const evidenceStamp = (evidence: Evidence) => evidence.completions.reduce((n, c) => n + c.version, 0);

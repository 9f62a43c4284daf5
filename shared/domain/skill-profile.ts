import type { CatalogVersion } from '../catalog/model';
import { attainmentLevels, type AttainmentLevel, type Importance } from '../catalog/terms';
import type { CompletionStatus } from '../schemas/completions';
import type { Course } from '../schemas/courses';

/**
 * A learner's standing against the Digital Skill Standards, derived from completions only
 * (pure: no I/O). Verified and self-reported evidence are kept apart; readiness and tags
 * use verified evidence, so a self-report never makes anyone "ready".
 */
export type EvidenceStatus = CompletionStatus;

export type CourseCoverage = Pick<Course, 'courseId' | 'catalogVersion' | 'certification' | 'literacyItems' | 'skills'>;

export interface CompletionFact {
  completionId: string;
  courseId: string;
  completedOn: string;
  status: EvidenceStatus;
}

export interface Attained {
  level: AttainmentLevel;
  /** The completions that reach this level (the evidence). */
  completions: string[];
}

export interface ItemStanding {
  id: string;
  verified?: Attained;
  selfReported?: Attained;
}

export interface RoleReadiness {
  roleId: string;
  typeId: string;
  /** 0..1: importance-weighted share of the role's rated items met at level (verified evidence). */
  readiness: number;
  /** The same counting self-reported evidence too: shown, never used for tags or counting. */
  readinessWithSelfReported: number;
  met: string[];
  missing: { skillId: string; required: AttainmentLevel; attained: AttainmentLevel | null }[];
}

export interface VersionStanding {
  version: string;
  provisional: boolean;
  literacy: {
    covered: number;
    coveredWithSelfReported: number;
    total: number;
    parts: { partId: string; covered: number; total: number }[];
    items: ItemStanding[];
  };
  skills: ItemStanding[];
  roles: RoleReadiness[];
  tags: string[];
}

export interface SkillProfile {
  /** One standing per catalog version the learner has evidence under, plus the current one. */
  versions: VersionStanding[];
  certifications: { courseId: string; completionId: string; completedOn: string; status: EvidenceStatus }[];
}

/** Readiness at or above this earns the role-ready tag. */
export const ROLE_READY_THRESHOLD = 0.8;

const rank = (level: AttainmentLevel) => attainmentLevels.length - attainmentLevels.indexOf(level); // a=4 .. d=1
const weight: Record<Exclude<Importance, 'z'>, number> = { a: 4, b: 3, c: 2, d: 1 };

/** Catalog item ids of `from` expressed in `to`, using the mappings `to` declares (identity otherwise). */
function translate(id: string, kind: 'literacy' | 'skills', from: string, to: CatalogVersion): string[] {
  if (from === to.version) return [id];
  const mapping = to.mappings?.find((m) => m.from === from)?.[kind];
  if (mapping && id in mapping) return mapping[id]!;
  const exists = kind === 'literacy' ? to.literacy.items.some((i) => i.id === id) : to.promotion.skills.some((s) => s.id === id);
  return exists ? [id] : [];
}

function better(current: Attained | undefined, level: AttainmentLevel, completionId: string): Attained {
  if (!current || rank(level) > rank(current.level)) return { level, completions: [completionId] };
  if (level === current.level && !current.completions.includes(completionId)) {
    return { level, completions: [...current.completions, completionId].sort() };
  }
  return current;
}

export function standingFor(catalog: CatalogVersion, completions: CompletionFact[], courses: Map<string, CourseCoverage>): VersionStanding {
  const literacy = new Map<string, ItemStanding>();
  const skills = new Map<string, ItemStanding>();
  const record = (target: Map<string, ItemStanding>, id: string, status: EvidenceStatus, level: AttainmentLevel, completionId: string) => {
    const standing = target.get(id) ?? { id };
    if (status === 'verified') standing.verified = better(standing.verified, level, completionId);
    else standing.selfReported = better(standing.selfReported, level, completionId);
    target.set(id, standing);
  };
  for (const completion of completions) {
    const course = courses.get(completion.courseId);
    if (!course) continue;
    for (const { item, level } of course.literacyItems) {
      for (const id of translate(item, 'literacy', course.catalogVersion, catalog)) record(literacy, id, completion.status, level, completion.completionId);
    }
    for (const { skill, level } of course.skills) {
      for (const id of translate(skill, 'skills', course.catalogVersion, catalog)) record(skills, id, completion.status, level, completion.completionId);
    }
  }

  const verifiedLevel = (id: string) => skills.get(id)?.verified?.level ?? null;
  const anyLevel = (id: string) => {
    const s = skills.get(id);
    const levels = [s?.verified?.level, s?.selfReported?.level].filter((l): l is AttainmentLevel => !!l);
    return levels.sort((x, y) => rank(y) - rank(x))[0] ?? null;
  };
  const score = (roleId: string, levelOf: (id: string) => AttainmentLevel | null) => {
    let total = 0;
    let earned = 0;
    for (const skill of catalog.promotion.skills) {
      const importance = catalog.promotion.importance[roleId]?.[skill.id];
      if (!importance || importance === 'z') continue;
      const required = importance as AttainmentLevel;
      const attained = levelOf(skill.id);
      total += weight[required];
      if (attained) earned += weight[required] * Math.min(1, rank(attained) / rank(required));
    }
    return total === 0 ? 0 : Math.round((earned / total) * 1000) / 1000;
  };

  const roles: RoleReadiness[] = catalog.promotion.roles.map((role) => {
    const met: string[] = [];
    const missing: RoleReadiness['missing'] = [];
    for (const skill of catalog.promotion.skills) {
      const importance = catalog.promotion.importance[role.id]?.[skill.id];
      if (!importance || importance === 'z') continue;
      const required = importance as AttainmentLevel;
      const attained = verifiedLevel(skill.id);
      if (attained && rank(attained) >= rank(required)) met.push(skill.id);
      else missing.push({ skillId: skill.id, required, attained });
    }
    return {
      roleId: role.id,
      typeId: role.typeId,
      readiness: score(role.id, verifiedLevel),
      readinessWithSelfReported: score(role.id, anyLevel),
      met,
      missing,
    };
  });

  const literacyItems = catalog.literacy.items.map((item) => literacy.get(item.id) ?? { id: item.id });
  const covered = literacyItems.filter((i) => i.verified).length;
  const parts = catalog.literacy.parts.map((part) => {
    const inPart = catalog.literacy.items.filter((i) => i.partId === part.id);
    return { partId: part.id, covered: inPart.filter((i) => literacy.get(i.id)?.verified).length, total: inPart.length };
  });

  const v = catalog.version;
  const tags: string[] = [];
  if (covered === catalog.literacy.items.length) tags.push(`dss-l:${v}:complete`);
  for (const part of parts) if (part.covered === part.total && part.total > 0) tags.push(`dss-l:${v}:part-complete:${part.partId}`);
  const readyTypes = new Set<string>();
  for (const role of roles) {
    if (role.readiness >= ROLE_READY_THRESHOLD) {
      tags.push(`dss-p:${v}:role-ready:${role.roleId}`);
      readyTypes.add(role.typeId);
    }
  }
  for (const type of readyTypes) tags.push(`dss-p:${v}:type-ready:${type}`);
  for (const skill of catalog.promotion.skills) {
    const level = verifiedLevel(skill.id);
    if (level) tags.push(`dss-p:${v}:skill:${skill.id}:${level}`);
  }

  return {
    version: v,
    provisional: catalog.provisional,
    literacy: {
      covered,
      coveredWithSelfReported: literacyItems.filter((i) => i.verified || i.selfReported).length,
      total: literacyItems.length,
      parts,
      items: literacyItems,
    },
    skills: catalog.promotion.skills.map((s) => skills.get(s.id) ?? { id: s.id }),
    roles,
    tags,
  };
}

/**
 * The profile under every catalog version the learner's courses name, and under the
 * current version (older evidence translated through the version mappings), so a tag
 * earned under 1.2 stays explainable after 2.0 is loaded.
 */
export function computeSkillProfile(
  completions: readonly CompletionFact[],
  courses: Map<string, CourseCoverage>,
  catalogs: Map<string, CatalogVersion>,
  currentVersion: string | undefined,
): SkillProfile {
  const ordered = [...completions].sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.completionId.localeCompare(b.completionId));
  const versions = new Set<string>();
  for (const c of ordered) {
    const version = courses.get(c.courseId)?.catalogVersion;
    if (version && catalogs.has(version)) versions.add(version);
  }
  if (currentVersion && catalogs.has(currentVersion)) versions.add(currentVersion);
  const certifications = ordered
    .filter((c) => courses.get(c.courseId)?.certification)
    .map((c) => ({ courseId: c.courseId, completionId: c.completionId, completedOn: c.completedOn, status: c.status }));
  return {
    versions: [...versions].sort().map((version) => standingFor(catalogs.get(version)!, ordered, courses)),
    certifications,
  };
}

import { randomBytes } from 'node:crypto';
import { actsFor } from '../access';
import type { CatalogVersion } from '../catalog/model';
import { bumpDerivationGeneration } from '../data/accreditations';
import { getCourse, listCoursesForItem, listCoursesForRole, listCoursesOfProvider, putCourse, replaceCourse, type Course } from '../data/courses';
import { bodyFieldErrors, conflict, forbidden, invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import type { CourseInput, CoursePatch } from '../schemas/courses';
import { japanDate } from '../time/japan-time';
import { accreditationOf, mappingOf, suspendAccreditation } from './accreditation';
import { catalogNamedIn, requireCatalog } from './catalog-lookup';

export type { CourseInput } from '../schemas/courses';

const newCourseId = () => `crs_${randomBytes(10).toString('hex')}`;

/** A provider registers a course for itself; every item must exist in the named catalog version. */
export async function registerCourse(actor: Actor, input: CourseInput, now: Date): Promise<Course> {
  if (actor.role !== 'provider' || !actor.org) throw forbidden('Only a training provider registers courses.');
  // A missing version is the request's fault (422); a failing lookup is not (it propagates).
  const catalog = await catalogNamedIn('catalogVersion', input.catalogVersion);
  checkMapping(catalog, input);
  const course: Course = { courseId: newCourseId(), providerId: actor.org, createdAt: now.toISOString(), ...input };
  await putCourse(course, relevantRoles(catalog, course));
  return course;
}

/** Every item must exist in the course's catalog version, and a course covers at least one. */
function checkMapping(catalog: CatalogVersion, input: Pick<CourseInput, 'literacyItems' | 'skills'>) {
  const literacyIds = new Set(catalog.literacy.items.map((i) => i.id));
  const skillIds = new Set(catalog.promotion.skills.map((s) => s.id));
  const errors: string[] = [];
  input.literacyItems.forEach(({ item }, i) => {
    if (!literacyIds.has(item)) errors.push(`literacyItems[${i}]: "${item}" is not a DSS-L item of catalog ${catalog.version}`);
  });
  input.skills.forEach(({ skill }, i) => {
    if (!skillIds.has(skill)) errors.push(`skills[${i}]: "${skill}" is not a DSS-P skill of catalog ${catalog.version}`);
  });
  if (input.literacyItems.length + input.skills.length === 0) errors.push('a course covers at least one literacy item or skill');
  if (errors.length) throw invalid(errors.slice(0, 5).join('; '), { errors: bodyFieldErrors(errors) });
}

/** The roles a course is listed under: those rating any skill it covers. */
function relevantRoles(catalog: CatalogVersion, course: Pick<Course, 'skills'>): string[] {
  const covered = new Set(course.skills.map((s) => s.skill));
  return catalog.promotion.roles
    .filter((role) => [...covered].some((skill) => ['a', 'b', 'c', 'd'].includes(catalog.promotion.importance[role.id]?.[skill] ?? 'z')))
    .map((role) => role.id);
}

/** A course with its accreditation (every validity period granted). */
export async function readCourse(courseId: string, now: Date = new Date()) {
  const course = await getCourse(courseId);
  if (!course) throw notFound(`No course ${courseId}.`);
  return { ...course, accreditation: await accreditationOf(courseId, japanDate(now)) };
}

/**
 * Its provider edits a course. Changing the DSS items or levels of an accredited course
 * suspends the accreditation first (evidence dated after today no longer counts until
 * admin reviews the course again), then writes the course: a crash between the two
 * leaves it suspended, never counting evidence it no longer attests.
 */
export async function editCourse(actor: Actor, courseId: string, patch: CoursePatch, now: Date): Promise<{ course: Course; mappingChanged: boolean }> {
  const previous = await getCourse(courseId, { consistent: true });
  if (!previous) throw notFound(`No course ${courseId}.`);
  if (!actsFor(actor, { org: previous.providerId, kind: 'provider' })) throw forbidden("Only the course's own provider edits it.");
  const next: Course = { ...previous, ...patch, updatedAt: now.toISOString() };
  const catalog = await requireCatalog(previous.catalogVersion);
  checkMapping(catalog, next);
  const mappingChanged = JSON.stringify(mappingOf(next)) !== JSON.stringify(mappingOf(previous));
  if (mappingChanged) await suspendAccreditation(actor, courseId, "the provider changed the course's DSS items or levels", now);
  if (!(await replaceCourse(next, previous, relevantRoles(catalog, next), relevantRoles(catalog, previous)))) {
    throw conflict('The course was changed at the same time by another request: read it again and retry.');
  }
  // What a completion of it attains changed: the next rebuild's fingerprint differs.
  if (mappingChanged) await bumpDerivationGeneration(now);
  return { course: next, mappingChanged };
}

export interface CourseQuery {
  item?: string;
  role?: string;
  provider?: string;
  version?: string;
  cursor?: string;
  limit?: number;
}

/**
 * Courses by skill item, by role or by provider. With both item and role (or a provider
 * besides), the item partition is walked and filtered until the page is full.
 */
export async function findCourses(query: CourseQuery, currentVersion: () => Promise<string | undefined>) {
  const limit = query.limit ?? 50;
  if (!query.item && !query.role && !query.provider) throw invalid('Filter by item, role or provider: e.g. GET /v1/courses?role=data-engineer');
  if (query.provider && !query.item && !query.role) {
    const page = await listCoursesOfProvider(query.provider, { cursor: query.cursor, limit });
    return { courses: page.items, cursor: page.cursor };
  }
  const version = query.version ?? (await currentVersion());
  if (!version) throw invalid('No catalog version is current; name one with ?version=');
  const importance = query.item && query.role ? (await requireCatalog(version)).promotion.importance[query.role] : undefined;
  // An edited course may leave a pointer behind for an item it no longer covers (replaceCourse).
  const covers = (c: Course) => !query.item || c.skills.some((s) => s.skill === query.item) || c.literacyItems.some((i) => i.item === query.item);
  const wanted = (c: Course) =>
    covers(c) &&
    (!importance || c.skills.some((s) => ['a', 'b', 'c', 'd'].includes(importance[s.skill] ?? 'z'))) &&
    (!query.provider || c.providerId === query.provider);
  const request = { cursor: query.cursor, limit, select: (courses: Course[]) => courses.map((c) => (wanted(c) ? c : undefined)) };
  const page = query.item ? await listCoursesForItem(version, query.item, request) : await listCoursesForRole(version, query.role!, request);
  return { courses: page.items, cursor: page.cursor };
}

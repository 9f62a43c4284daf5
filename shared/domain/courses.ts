import { randomBytes } from 'node:crypto';
import { getCourse, listCoursesForItem, listCoursesForRole, listCoursesOfProvider, putCourse, type Course } from '../data/courses';
import { forbidden, invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import type { CourseInput } from '../schemas/courses';
import { catalogNamedIn, requireCatalog } from './catalog-lookup';

export type { CourseInput } from '../schemas/courses';

const newCourseId = () => `crs_${randomBytes(10).toString('hex')}`;

/** A provider registers a course for itself; every item must exist in the named catalog version. */
export async function registerCourse(actor: Actor, input: CourseInput, now: Date): Promise<Course> {
  if (actor.role !== 'provider' || !actor.org) throw forbidden('Only a training provider registers courses.');
  // A missing version is the request's fault (422); a failing lookup is not (it propagates).
  const catalog = await catalogNamedIn('catalogVersion', input.catalogVersion);
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
  if (errors.length) throw invalid(errors.slice(0, 5).join('; '), { errors });

  const covered = new Set(input.skills.map((s) => s.skill));
  const roleIds = catalog.promotion.roles
    .filter((role) => [...covered].some((skill) => ['a', 'b', 'c', 'd'].includes(catalog.promotion.importance[role.id]?.[skill] ?? 'z')))
    .map((role) => role.id);
  const course: Course = { courseId: newCourseId(), providerId: actor.org, createdAt: now.toISOString(), ...input };
  await putCourse(course, roleIds);
  return course;
}

export async function readCourse(courseId: string): Promise<Course> {
  const course = await getCourse(courseId);
  if (!course) throw notFound(`No course ${courseId}.`);
  return course;
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
  const wanted = (c: Course) =>
    (!importance || c.skills.some((s) => ['a', 'b', 'c', 'd'].includes(importance[s.skill] ?? 'z'))) && (!query.provider || c.providerId === query.provider);
  const request = { cursor: query.cursor, limit, select: (courses: Course[]) => courses.map((c) => (wanted(c) ? c : undefined)) };
  const page = query.item ? await listCoursesForItem(version, query.item, request) : await listCoursesForRole(version, query.role!, request);
  return { courses: page.items, cursor: page.cursor };
}

import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { index, isConditionFailure, itemOf, keyOn, partition, primary, recordOf } from './entity';
import { batchGet, queryPage, queryPointers, type Page, type PageRequest } from './query';
import { batchPut } from './records';
import type { Course } from '../schemas/courses';

// The stored course is exactly its API view: the shape is declared once, in the schema.
export type { Course } from '../schemas/courses';

/**
 * Courses change rarely (their provider edits them): a process keeps one for a minute, so
 * an edit reaches every derivation within a minute. What counts toward the target does
 * not depend on it: that is the accreditation, read fresh (shared/data/accreditations.ts).
 */
const CACHE_MS = 60_000;
const cache = new Map<string, { course: Course; at: number }>();
const cached = (courseId: string) => {
  const entry = cache.get(courseId);
  return entry && Date.now() - entry.at < CACHE_MS ? entry.course : undefined;
};
const remember = (c: Course) => cache.set(c.courseId, { course: c, at: Date.now() });

/**
 * A course: its own item; on gsi1, in its provider's partition, newest last. Index items
 * (pointers holding only the course id) list the courses covering a catalog item, or
 * relevant to a role, in one catalog version.
 */
const course = {
  entity: 'course',
  key: (courseId: string) => ({ pk: `COURSE#${courseId}`, sk: 'COURSE' }),
  /** gsi1: a provider's courses, newest last. */
  byProvider: (providerId: string, createdAt: string, courseId: string) => keyOn(index('gsi1'), `PROVIDER#${providerId}`, `COURSE#${createdAt}#${courseId}`),
  ofProvider: (providerId: string) => partition(index('gsi1'), `PROVIDER#${providerId}`, 'COURSE#'),
  pointer: {
    entity: 'course-pointer',
    forItem: (version: string, itemId: string, courseId: string) => ({ pk: `COURSES#${version}#ITEM#${itemId}`, sk: `COURSE#${courseId}` }),
    forRole: (version: string, roleId: string, courseId: string) => ({ pk: `COURSES#${version}#ROLE#${roleId}`, sk: `COURSE#${courseId}` }),
    ofItem: (version: string, itemId: string) => partition(primary, `COURSES#${version}#ITEM#${itemId}`),
    ofRole: (version: string, roleId: string) => partition(primary, `COURSES#${version}#ROLE#${roleId}`),
  },
};

const strip = (item: Record<string, unknown>) => recordOf<Course>(course.entity, item);

/**
 * Registers a course: its index items first (harmless alone: readers drop ids with no
 * course), then the course item, the commit point. Returns false if the id exists.
 */
export async function putCourse(c: Course, roleIds: readonly string[]): Promise<boolean> {
  const indexItems = pointerKeys(c, roleIds).map((key) => itemOf(course.pointer.entity, [key], { courseId: c.courseId, createdAt: c.createdAt }));
  await batchPut(indexItems);
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(course.entity, [course.key(c.courseId), course.byProvider(c.providerId, c.createdAt, c.courseId)], c),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

const pointerKeys = (c: Course, roleIds: readonly string[]) => [
  ...c.literacyItems.map(({ item }) => course.pointer.forItem(c.catalogVersion, item, c.courseId)),
  ...c.skills.map(({ skill }) => course.pointer.forItem(c.catalogVersion, skill, c.courseId)),
  ...roleIds.map((role) => course.pointer.forRole(c.catalogVersion, role, c.courseId)),
];

/**
 * A provider's edit: the new index items first, then the course, only if nobody changed it
 * since `previous` was read (false: a concurrent edit won), then the index items it no
 * longer has. A crash before the last step leaves pointers to a course that no longer
 * covers the item: course lists check coverage, so they show nothing wrong.
 */
export async function replaceCourse(next: Course, previous: Course, roleIds: readonly string[], previousRoleIds: readonly string[]): Promise<boolean> {
  const keep = pointerKeys(next, roleIds);
  const kept = new Set(keep.map((k) => `${k.pk}|${k.sk}`));
  await batchPut(keep.map((key) => itemOf(course.pointer.entity, [key], { courseId: next.courseId, createdAt: next.createdAt })));
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(course.entity, [course.key(next.courseId), course.byProvider(next.providerId, next.createdAt, next.courseId)], next),
        ConditionExpression: previous.updatedAt ? 'updatedAt = :previous' : 'attribute_exists(pk) AND attribute_not_exists(updatedAt)',
        ...(previous.updatedAt ? { ExpressionAttributeValues: { ':previous': previous.updatedAt } } : {}),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  remember(next);
  for (const key of pointerKeys(previous, previousRoleIds).filter((k) => !kept.has(`${k.pk}|${k.sk}`))) {
    await db.send(new DeleteCommand({ TableName: table(), Key: key }));
  }
  return true;
}

/**
 * A course by id. Reads are eventually consistent (half the cost) and cached, but a miss is
 * read again consistently: a course registered a moment ago (its provider reporting the
 * first completion right away) may not have reached the replica answering yet.
 */
export async function getCourse(courseId: string, options: { consistent?: boolean } = {}): Promise<Course | undefined> {
  const hit = options.consistent ? undefined : cached(courseId);
  if (hit) return hit;
  const read = (consistent: boolean) => db.send(new GetCommand({ TableName: table(), Key: course.key(courseId), ConsistentRead: consistent }));
  const Item = (options.consistent ? undefined : (await read(false)).Item) ?? (await read(true)).Item;
  if (!Item) return undefined;
  const found = strip(Item);
  remember(found);
  return found;
}

/** Courses by id (those that exist), in the order asked; misses are read again consistently, as in getCourse. */
export async function getCourses(courseIds: readonly string[]): Promise<Map<string, Course>> {
  const found = new Map<string, Course>();
  const uncached = [...new Set(courseIds)].filter((id) => {
    const hit = cached(id);
    if (hit) found.set(id, hit);
    return !hit;
  });
  const read = async (ids: string[], consistent: boolean) => {
    for (const item of await batchGet<Record<string, unknown>>(
      ids.map((id) => course.key(id)),
      { consistent },
    )) {
      const each = strip(item);
      remember(each);
      found.set(each.courseId, each);
    }
  };
  await read(uncached, false);
  const missing = uncached.filter((id) => !found.has(id));
  if (missing.length) await read(missing, true);
  return found;
}

export async function listCoursesOfProvider<T = Course>(providerId: string, request: PageRequest<Course, T>): Promise<Page<T>> {
  return queryPage({ partition: course.ofProvider(providerId), entity: strip, ...request });
}

/** Courses covering a catalog item (a skill or a literacy item) in one catalog version, through their index items. */
export async function listCoursesForItem<T = Course>(version: string, itemId: string, request: PageRequest<Course, T>): Promise<Page<T>> {
  return queryPointers(course.pointer.ofItem(version, itemId), { idAttribute: 'courseId', fetch: getCourses }, request);
}

/** Courses relevant to a role in one catalog version, through their index items. */
export async function listCoursesForRole<T = Course>(version: string, roleId: string, request: PageRequest<Course, T>): Promise<Page<T>> {
  return queryPointers(course.pointer.ofRole(version, roleId), { idAttribute: 'courseId', fetch: getCourses }, request);
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AttainmentLevel } from '../catalog/model';
import { db, table } from './client';
import { keys } from './keys';
import { batchGet, queryPage, queryPointers, type Page, type PageRequest } from './query';
import { batchPut, recordOf } from './records';

export interface Course {
  courseId: string;
  providerId: string;
  title: string;
  delivery: 'online' | 'in-person' | 'blended' | 'self-paced';
  hours: number;
  catalogVersion: string;
  literacyItems: { item: string; level: AttainmentLevel }[];
  skills: { skill: string; level: AttainmentLevel }[];
  certification: boolean;
  url?: string;
  createdAt: string;
}

/** Courses never change once registered (a new mapping is a new course), so caching is safe. */
const cache = new Map<string, Course>();

const strip = (item: Record<string, unknown>) => recordOf<Course>(item);

/**
 * Registers a course: its index items first (harmless alone: readers drop ids with no
 * course), then the course item, the commit point. Returns false if the id exists.
 */
export async function putCourse(course: Course, roleIds: readonly string[]): Promise<boolean> {
  const indexItems = [
    ...course.literacyItems.map(({ item }) => keys.courseForItem(course.catalogVersion, item, course.courseId)),
    ...course.skills.map(({ skill }) => keys.courseForItem(course.catalogVersion, skill, course.courseId)),
    ...roleIds.map((role) => keys.courseForRole(course.catalogVersion, role, course.courseId)),
  ].map((key) => ({ ...key, courseId: course.courseId, createdAt: course.createdAt }));
  await batchPut(indexItems);
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.course(course.courseId), ...keys.courseByProvider(course.providerId, course.createdAt, course.courseId), ...course },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function getCourse(courseId: string): Promise<Course | undefined> {
  const cached = cache.get(courseId);
  if (cached) return cached;
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.course(courseId) }));
  if (!Item) return undefined;
  const course = strip(Item);
  cache.set(courseId, course);
  return course;
}

/** Courses by id (those that exist), in the order asked. */
export async function getCourses(courseIds: readonly string[]): Promise<Map<string, Course>> {
  const found = new Map<string, Course>();
  const missing: string[] = [];
  for (const id of new Set(courseIds)) {
    const cached = cache.get(id);
    if (cached) found.set(id, cached);
    else missing.push(id);
  }
  for (const item of await batchGet<Record<string, unknown>>(missing.map((id) => keys.course(id)))) {
    const course = strip(item);
    cache.set(course.courseId, course);
    found.set(course.courseId, course);
  }
  return found;
}

export async function listCoursesOfProvider<T = Course>(providerId: string, request: PageRequest<Course, T>): Promise<Page<T>> {
  const { gsi1pk, skPrefix } = keys.coursesOfProvider(providerId);
  return queryPage({ index: 'gsi1', partitionKey: 'gsi1pk', partitionValue: gsi1pk, sortKeyPrefix: skPrefix, entity: strip, ...request });
}

/** Courses covering an item (or relevant to a role) in one catalog version, through their index items. */
export async function listCoursesIndexed<T = Course>(partition: { pk: string }, request: PageRequest<Course, T>): Promise<Page<T>> {
  return queryPointers(partition.pk, { idAttribute: 'courseId', fetch: getCourses }, request);
}

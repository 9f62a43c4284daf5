import * as z from 'zod/mini';
import { catalogVersionId } from '../catalog/terms';
import { pageQuery } from './common';
import { attainment, courseId, httpsUrl, slugId, text, uniqueList } from './fields';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const courseDelivery = z.enum(['online', 'in-person', 'blended', 'self-paced']);

const coveredItem = () => z.strictObject({ item: slugId, level: attainment });
const coveredSkill = () => z.strictObject({ skill: slugId, level: attainment });

export const createCourseBody = z.lazy(() =>
  z.strictObject({
    title: text(200),
    delivery: courseDelivery,
    hours: z.number().check(z.gt(0), z.lte(2000)),
    catalogVersion: catalogVersionId,
    /** DSS-L items the course covers, with the level a completion attains. */
    literacyItems: uniqueList(coveredItem(), 100, 'literacy items'),
    /** DSS-P skill items the course covers, with the level a completion attains. */
    skills: uniqueList(coveredSkill(), 100, 'skills'),
    /** Passing it is a certification (IT Passport and the like). */
    certification: z.boolean(),
    url: z.optional(httpsUrl),
  }),
);
/** What a provider writes (POST /v1/courses). */
export type CourseInput = z.output<typeof createCourseBody>;

export const courseParams = z.strictObject({ courseId });

export const listCoursesQuery = z.strictObject({
  item: z.optional(slugId),
  role: z.optional(slugId),
  provider: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a provider id: letters, digits, _ . -'))),
  version: z.optional(catalogVersionId),
  ...pageQuery,
});

/** A course as stored and as shown: courses never change once registered. */
export const courseView = z.lazy(() =>
  z.object({
    courseId: z.string(),
    providerId: z.string(),
    title: z.string(),
    delivery: courseDelivery,
    hours: z.number(),
    catalogVersion: z.string(),
    literacyItems: z.array(z.object({ item: z.string(), level: attainment })),
    skills: z.array(z.object({ skill: z.string(), level: attainment })),
    certification: z.boolean(),
    url: z.optional(z.string()),
    createdAt: z.string(),
  }),
);
export type Course = z.output<typeof courseView>;

export const courseList = z.lazy(() => z.object({ courses: z.array(courseView), cursor: z.optional(z.string()) }));

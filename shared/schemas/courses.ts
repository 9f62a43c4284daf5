import * as z from 'zod/mini';
import { catalogVersionId } from '../catalog/terms';
import { pageQuery } from './common';
import { attainment, courseId, httpsUrl, isoDate, slugId, text, uniqueList } from './fields';

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

/** What a provider may change (PATCH /v1/courses/{id}); the catalog version stays. */
export const patchCourseBody = z.lazy(() =>
  z
    .strictObject({
      title: z.optional(text(200)),
      delivery: z.optional(courseDelivery),
      hours: z.optional(z.number().check(z.gt(0), z.lte(2000))),
      literacyItems: z.optional(uniqueList(coveredItem(), 100, 'literacy items')),
      skills: z.optional(uniqueList(coveredSkill(), 100, 'skills')),
      certification: z.optional(z.boolean()),
      url: z.optional(httpsUrl),
    })
    .check(z.refine((body) => Object.keys(body).length > 0, 'name at least one field to change')),
);
export type CoursePatch = z.output<typeof patchCourseBody>;

export const courseParams = z.strictObject({ courseId });

export const listCoursesQuery = z.strictObject({
  item: z.optional(slugId),
  role: z.optional(slugId),
  provider: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a provider id: letters, digits, _ . -'))),
  version: z.optional(catalogVersionId),
  ...pageQuery,
});

const attestedItems = () => ({
  literacyItems: z.array(z.object({ item: z.string(), level: attainment })),
  skills: z.array(z.object({ skill: z.string(), level: attainment })),
});

/** A course's accreditation as anyone sees it: each validity period the national office granted. */
export const accreditationView = z.lazy(() =>
  z.object({
    status: z.enum(['none', 'accredited', 'suspended', 'expired']),
    periods: z.array(
      z.object({
        scheme: z.string(),
        certification: z.boolean(),
        ...attestedItems(),
        validFrom: z.string(),
        validTo: z.string(),
        grantedAt: z.string(),
        suspendedAt: z.optional(z.string()),
        suspendedBecause: z.optional(z.string()),
      }),
    ),
  }),
);

/** A course as stored and as shown (GET /v1/courses/{id} adds its accreditation). */
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
    /** Set once the provider edits the course (PATCH); a concurrent edit is refused. */
    updatedAt: z.optional(z.string()),
    accreditation: z.optional(accreditationView),
  }),
);
export type Course = Omit<z.output<typeof courseView>, 'accreditation'>;
export type CourseAccreditationView = z.output<typeof accreditationView>;

export const courseList = z.lazy(() => z.object({ courses: z.array(courseView), cursor: z.optional(z.string()) }));

export const accreditationScheme = z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a scheme id like "ipa-exam"'), z.maxLength(64));

export const accreditationRequestBody = z.lazy(() =>
  z.strictObject({
    /** One of the schemes of GET /v1/counting-rules (`schemes`). */
    scheme: accreditationScheme,
    /** From which day completions are evidence under this accreditation (Japan date). */
    validFrom: isoDate,
    /** Until which day (inclusive); open-ended if absent. */
    validTo: z.optional(isoDate),
  }),
);

export const accreditationRequestParams = z.strictObject({
  requestId: z.string().check(z.regex(/^acr_[a-z0-9]{20}$/, 'a request id looks like acr_ followed by 20 letters or digits')),
});

export const accreditationDecisionBody = z.lazy(() =>
  z.strictObject({
    decision: z.enum(['approve', 'reject']),
    reason: text(1000),
    /** Admin may narrow the requested validity. */
    validFrom: z.optional(isoDate),
    validTo: z.optional(isoDate),
  }),
);

export const listAccreditationRequestsQuery = z.strictObject({
  status: z.optional(z.enum(['pending', 'approved', 'rejected'])),
  ...pageQuery,
});

export const accreditationRequestView = z.lazy(() =>
  z.object({
    requestId: z.string(),
    courseId: z.string(),
    providerId: z.string(),
    scheme: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
    catalogVersion: z.string(),
    certification: z.boolean(),
    ...attestedItems(),
    status: z.enum(['pending', 'approved', 'rejected']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decision: z.optional(z.object({ decision: z.enum(['approve', 'reject']), reason: z.string(), by: z.string(), at: z.string() })),
  }),
);

export const accreditationRequestList = z.lazy(() => z.object({ requests: z.array(accreditationRequestView), cursor: z.optional(z.string()) }));

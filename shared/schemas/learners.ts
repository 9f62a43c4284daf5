import * as z from 'zod/mini';
import { municipalityCode, prefectureCode } from '../ids';
import { learnerId, text, uniqueList, workStyle } from './fields';
import { providerLinkView } from './provider-links';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const turnIntent = z.enum(['u-turn', 'i-turn', 'j-turn', 'none']);
export type TurnIntent = z.output<typeof turnIntent>;

export const contact = z.lazy(() =>
  z.strictObject({
    name: text(100),
    email: z.optional(z.email().check(z.maxLength(254))),
    phone: z.optional(z.string().check(z.regex(/^\+?[0-9][0-9 -]{6,19}$/, 'a phone number of digits, spaces or hyphens, e.g. 03-1234-5678'))),
  }),
);

export const putProfileBody = z.lazy(() =>
  z.strictObject({
    residence: z.strictObject({
      /** 6-digit local government code of the municipality (or 5 digits without the check digit). */
      municipality: municipalityCode,
      /** Optional; must agree with the municipality code when given. */
      prefecture: z.optional(prefectureCode),
    }),
    workPrefectures: uniqueList(prefectureCode, 47, 'work prefectures'),
    workStyles: uniqueList(workStyle, 4, 'work styles').check(z.minLength(1, 'name at least one work style')),
    turn: z.strictObject({ intent: turnIntent, hometownPrefecture: z.optional(prefectureCode) }),
    /** Explicit consent to be shown to the centers, and in the openings, of the prefectures you live in or want to work in; revocable at any time. */
    matchingConsent: z.boolean(),
    /**
     * Also show the profile for remote and side-job openings anywhere, and so to the centers
     * of every prefecture; needs matchingConsent. Omit to keep what is stored (new: false).
     */
    placeFreeConsent: z.optional(z.boolean()),
    /** Personal data: stored apart, never logged, never in lists. Omit to keep what is stored. */
    contact: z.optional(contact),
  }),
);

/** What the learner writes (PUT /v1/learners/me). */
export type ProfileInput = z.output<typeof putProfileBody>;

export const learnerParams = z.strictObject({ learnerId });

export const profileView = z.lazy(() =>
  z.object({
    learnerId: z.string(),
    residence: z.object({ prefecture: z.string(), municipality: z.string() }),
    workPrefectures: z.array(z.string()),
    workStyles: z.array(workStyle),
    turn: z.object({ intent: turnIntent, hometownPrefecture: z.optional(z.string()) }),
    consent: z.object({ matching: z.boolean(), placeFree: z.boolean(), changedAt: z.string() }),
    updatedAt: z.string(),
    contact: z.optional(z.object({ name: z.string(), email: z.optional(z.string()), phone: z.optional(z.string()) })),
    /** The learner's own read only: the providers they allowed to report their completions. */
    providerLinks: z.optional(z.array(providerLinkView)),
  }),
);

// Views (issue 13): the skill profile (shared/domain/skills-view.ts), strict so that the tests'
// validation against the document catches any member it does not name.
const level = z.enum(['a', 'b', 'c', 'd']);
const attained = z.strictObject({ level, completions: z.array(z.string()) });
const itemStanding = z.strictObject({ id: z.string(), verified: z.optional(attained), selfReported: z.optional(attained) });
const missingSkill = { skillId: z.string(), required: level, attained: z.nullable(level) };

/** A qualification under a counting rule (shared/data/qualifications.ts), or one derived now and not yet recorded (`pending`). */
export const qualificationView = z.lazy(() =>
  z.strictObject({
    ruleVersion: z.string(),
    qualifiedOn: z.iso.date(),
    fiscalYear: z.int(),
    prefecture: z.string(),
    clause: z.string(),
    roles: z.array(z.string()),
    types: z.array(z.string()),
    catalogVersion: z.optional(z.string()),
    evidence: z.array(z.string()),
    recordedAt: z.optional(z.iso.datetime()),
    revisions: z.optional(
      z.array(
        z.strictObject({
          revisedAt: z.iso.datetime(),
          from: z.strictObject({ qualifiedOn: z.iso.date(), fiscalYear: z.int() }),
          to: z.strictObject({ qualifiedOn: z.iso.date(), fiscalYear: z.int() }),
          reason: z.literal('earlier-evidence'),
        }),
      ),
    ),
    pending: z.optional(z.literal(true)),
  }),
);

export const skillsView = z.lazy(() =>
  z.strictObject({
    learnerId: z.string(),
    completionCount: z.int(),
    currentVersion: z.nullable(z.string()),
    versions: z.array(
      z.strictObject({
        version: z.string(),
        provisional: z.boolean(),
        literacy: z.strictObject({
          covered: z.int(),
          coveredWithSelfReported: z.int(),
          total: z.int(),
          parts: z.array(z.strictObject({ partId: z.string(), covered: z.int(), total: z.int() })),
          items: z.array(itemStanding),
        }),
        skills: z.array(itemStanding),
        roles: z.array(
          z.strictObject({
            roleId: z.string(),
            typeId: z.string(),
            readiness: z.number(),
            readinessWithSelfReported: z.number(),
            met: z.array(z.string()),
            missing: z.array(z.strictObject(missingSkill)),
          }),
        ),
        tags: z.array(z.string()),
      }),
    ),
    certifications: z.array(
      z.strictObject({ courseId: z.string(), completionId: z.string(), completedOn: z.iso.date(), status: z.enum(['verified', 'self-reported']) }),
    ),
    qualifications: z.array(qualificationView),
    /** Courses that would close the gaps of the roles closest to ready, under the current catalog version. */
    suggestions: z.nullable(
      z.strictObject({
        version: z.string(),
        roles: z.array(
          z.strictObject({
            roleId: z.string(),
            readiness: z.number(),
            missing: z.array(
              z.strictObject({
                ...missingSkill,
                courses: z.array(z.strictObject({ courseId: z.string(), title: z.string(), providerId: z.string() })),
              }),
            ),
          }),
        ),
      }),
    ),
  }),
);

export const erasureView = z.lazy(() =>
  z.strictObject({
    learnerId: z.string(),
    erasedAt: z.iso.datetime(),
    /** What stays: anonymous records without personal data, so the counts stay exact. */
    kept: z.string(),
  }),
);

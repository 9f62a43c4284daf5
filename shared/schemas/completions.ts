import * as z from 'zod/mini';
import { pageQuery } from './common';
import { courseId, httpsUrl, isoDate, learnerId, text } from './fields';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

/** Verified: reported (or confirmed) by the provider; self-reported: by the learner, with evidence. */
export const completionStatus = z.enum(['verified', 'self-reported']);
export type CompletionStatus = z.output<typeof completionStatus>;

export const evidence = z.lazy(() =>
  z.strictObject({
    certificateNumber: z.optional(text(64)),
    url: z.optional(httpsUrl),
  }),
);

export const reportCompletionBody = z.lazy(() =>
  z.strictObject({
    /** Providers name the learner; learners may omit it (it is themselves). */
    learnerId: z.optional(learnerId),
    courseId,
    /** The date of completion in Japan time. */
    completedOn: isoDate,
    /** Required when a learner reports their own completion. */
    evidence: z.optional(evidence),
  }),
);
/** One reported completion: POST /v1/completions, or one row of a provider's CSV. */
export type CompletionInput = z.output<typeof reportCompletionBody>;

export const listCompletionsQuery = z.strictObject({ ...pageQuery });

/** A completion as clients see it; the stored item adds two members (shared/data/completions.ts). */
export const completionView = z.lazy(() =>
  z.object({
    completionId: z.string(),
    learnerId: z.string(),
    courseId: z.string(),
    providerId: z.string(),
    completedOn: z.string(),
    fiscalYear: z.number(),
    status: completionStatus,
    reportedBy: z.enum(['learner', 'provider']),
    evidence: z.optional(z.object({ certificateNumber: z.optional(z.string()), url: z.optional(z.string()) })),
    recordedAt: z.string(),
    verifiedAt: z.optional(z.string()),
  }),
);
export type CompletionView = z.output<typeof completionView>;

export const completionList = z.lazy(() => z.object({ completions: z.array(completionView), cursor: z.optional(z.string()) }));

export const importResult = z.lazy(() =>
  z.object({
    rows: z.number(),
    stored: z.number(),
    verified: z.number(),
    unchanged: z.number(),
    rejected: z.array(z.object({ row: z.number(), reason: z.string() })),
  }),
);

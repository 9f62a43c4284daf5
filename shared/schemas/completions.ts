import * as z from 'zod/mini';
import { pageQuery } from './common';
import { courseId, httpsUrl, isoDate, learnerId, text } from './fields';

export const evidence = z.strictObject({
  certificateNumber: z.optional(text(64)),
  url: z.optional(httpsUrl),
});

export const reportCompletionBody = z.strictObject({
  /** Providers name the learner; learners may omit it (it is themselves). */
  learnerId: z.optional(learnerId),
  courseId,
  /** The date of completion in Japan time. */
  completedOn: isoDate,
  /** Required when a learner reports their own completion. */
  evidence: z.optional(evidence),
});

export const listCompletionsQuery = z.strictObject({ ...pageQuery });

export const completionView = z.object({
  completionId: z.string(),
  learnerId: z.string(),
  courseId: z.string(),
  providerId: z.string(),
  completedOn: z.string(),
  fiscalYear: z.number(),
  status: z.enum(['verified', 'self-reported']),
  evidence: z.optional(z.object({ certificateNumber: z.optional(z.string()), url: z.optional(z.string()) })),
  recordedAt: z.string(),
  verifiedAt: z.optional(z.string()),
});

export const completionList = z.object({ completions: z.array(completionView), cursor: z.optional(z.string()) });

export const importResult = z.object({
  rows: z.number(),
  stored: z.number(),
  verified: z.number(),
  unchanged: z.number(),
  rejected: z.array(z.object({ row: z.number(), reason: z.string() })),
});

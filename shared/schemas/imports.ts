import * as z from 'zod/mini';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

/** A queued bulk import (POST /v1/completions/import over the threshold answers 202 with it). */
export const importId = z.string().check(z.regex(/^imp_[a-f0-9]{20}$/, 'an import id looks like imp_ followed by 20 hex digits'));
export const importParams = z.strictObject({ importId });

export const importJob = z.lazy(() =>
  z.object({
    importId: z.string(),
    providerId: z.string(),
    /** Data rows in the file. */
    rows: z.number(),
    /** Rows with an outcome so far: stored, verified, unchanged or rejected. */
    done: z.number(),
    stored: z.number(),
    verified: z.number(),
    unchanged: z.number(),
    rejectedCount: z.number(),
    /** Rejected rows as the synchronous answer lists them, by row, at most 1,000 (rejectedCount has them all). */
    rejected: z.array(z.object({ row: z.number(), reason: z.string() })),
    finished: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.optional(z.string()),
  }),
);

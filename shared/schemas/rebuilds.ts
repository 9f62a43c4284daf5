import * as z from 'zod/mini';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const rebuildParams = z.strictObject({ rebuildId: z.string().check(z.regex(/^rbd_[0-9]{6}_[0-9a-f]{10}$/, 'a rebuild id (rbd_…)')) });

export const rebuildView = z.lazy(() =>
  z.strictObject({
    rebuildId: z.string(),
    reason: z.string(),
    status: z.enum(['running', 'done', 'superseded']),
    createdAt: z.string(),
    finishedAt: z.optional(z.string()),
    segments: z.strictObject({ total: z.number(), done: z.number() }),
    learnersDone: z.number(),
    errors: z.number(),
  }),
);

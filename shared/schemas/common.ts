import * as z from 'zod/mini';
import { roles } from '../identity';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const problem = z.lazy(() =>
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.optional(z.string()),
  }),
);

export const identity = z.lazy(() =>
  z.object({
    sub: z.string(),
    role: z.enum(roles),
    prefecture: z.optional(z.string()),
    org: z.optional(z.string()),
  }),
);

export const health = z.lazy(() => z.object({ status: z.literal('ok') }));

/** Page size: capped so one request never reads an unbounded amount. */
export const pageQuery = {
  limit: z.optional(
    z
      .pipe(z.string().check(z.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100')), z.transform(Number))
      .check(z.refine((n) => n >= 1 && n <= 100, 'limit is a whole number from 1 to 100')),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};

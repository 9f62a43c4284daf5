import * as z from 'zod/mini';
import { roles } from '../identity';

export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  instance: z.optional(z.string()),
});

export const identity = z.object({
  sub: z.string(),
  role: z.enum(roles),
  prefecture: z.optional(z.string()),
  org: z.optional(z.string()),
});

export const health = z.object({ status: z.literal('ok') });

/** Page size: capped so one request never reads an unbounded amount. */
export const pageQuery = {
  limit: z.optional(
    z
      .pipe(z.string().check(z.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100')), z.transform(Number))
      .check(z.refine((n) => n >= 1 && n <= 100, 'limit is a whole number from 1 to 100')),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};

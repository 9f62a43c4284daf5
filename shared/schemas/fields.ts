import * as z from 'zod/mini';
import { attainmentLevels } from '../catalog/terms';

/** Field schemas shared by several resources. */

export const learnerId = z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a learner id is the account subject: letters, digits, _ . - (up to 128)'),
  // /v1/learners/me is the caller: no learner is named "me" (test/unit/route-paths.test.ts).
  z.refine((id) => id !== 'me', '"me" names the caller, not a learner'),
);
export const courseId = z.string().check(z.regex(/^crs_[a-z0-9]{20}$/, 'a course id looks like crs_ followed by 20 letters or digits'));
export const slugId = z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are lower-case slugs like "data-engineer"'), z.maxLength(64));
export const attainment = z.enum(attainmentLevels);
export const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2025-04-01 (YYYY-MM-DD)'));
export const workStyle = z.enum(['full-time', 'side-job', 'dispatch', 'remote']);
export type WorkStyle = z.output<typeof workStyle>;
// zod's z.regexes.domain, written out: naming z.regexes puts all of zod's regexes into
// every function that imports this module (6.5 KiB of cold start).
const domainName = /^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;
export const httpsUrl = z.url({ protocol: /^https?$/, hostname: domainName }).check(
  z.maxLength(2048),
  z.refine((url) => !/[\s\u0000-\u001f\u007f]/.test(url), 'a URL has no spaces or control characters'),
  z.refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), 'a URL must not carry a user name or password'),
);

/** Free text shown to people: no control characters, bounded length. */
export const text = (max: number) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(max),
    z.refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'control characters are not allowed'),
    z.refine((s) => s.trim().length > 0, 'must not be blank'),
  );

export const uniqueList = <T extends z.ZodMiniType>(item: T, max: number, what: string) =>
  z.array(item).check(
    z.maxLength(max),
    z.refine((list) => new Set(list.map((v) => JSON.stringify(v))).size === list.length, `${what} must not repeat`),
  );

import * as z from 'zod/mini';
import { roles } from '../identity';
import { queryInteger } from './query';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

/** One fault of a request (shared/errors.ts FieldError): the one `errors` shape of every problem. */
export const fieldError = z.lazy(() =>
  z.strictObject({
    in: z.enum(['path', 'query', 'body', 'header']),
    field: z.string().check(z.describe('A dotted path with [index], e.g. skills[1].level; empty when the fault is the whole request or body.')),
    message: z.string(),
  }),
);

/**
 * RFC 9457 problem details with the extension members this API uses (shared/errors.ts
 * ProblemExtensions), and no others: a client can rely on exactly these.
 */
export const problem = z.lazy(() =>
  z.strictObject({
    type: z.string().check(z.regex(/^urn:kanryu:problem:[a-z-]+$/)),
    title: z.string(),
    status: z.int().check(z.gte(400), z.lte(599)),
    detail: z.string(),
    instance: z.optional(z.string()),
    errors: z.optional(z.array(fieldError).check(z.describe('What is wrong with the request, field by field (400, 409, 422).'))),
    claim: z.optional(z.string().check(z.describe('401: the token claim that is missing or malformed.'))),
    maxBytes: z.optional(z.int().check(z.gte(0), z.describe('413: the largest body this route takes, in bytes.'))),
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
  limit: z.optional(queryInteger(/^\d{1,3}$/, 'limit is a whole number from 1 to 100', { min: 1, max: 100 })),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};

/**
 * The OpenAPI document itself: its required members only, and open to the rest, because
 * its structure is the OpenAPI 3.1 specification's, checked against that specification's
 * own schema (test/api/foundation.test.ts) and by redocly and spectral, not restated here.
 */
export const openApiDocument = z.lazy(() =>
  z.looseObject({
    openapi: z.string().check(z.regex(/^3\.1\.\d+$/)),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
);

import * as z from 'zod/mini';

// A query string carries text; these members decode it into the number or boolean it
// stands for. Handlers get numbers and booleans, and the OpenAPI document, which shows
// query members as decoded (shared/http/openapi.ts), says integer and boolean, so a
// generated client sends `limit: 20` and `remote: true`, not strings.

/** A whole number in a range, written in digits (`pattern` says how many). */
export const queryInteger = (pattern: RegExp, message: string, range: { min: number; max: number; message?: string }) =>
  z.codec(z.string().check(z.regex(pattern, message)), z.int().check(z.gte(range.min, range.message ?? message), z.lte(range.max, range.message ?? message)), {
    decode: Number,
    encode: String,
  });

/** `true` or `false`. */
export const queryBoolean = (name: string) =>
  z.codec(z.enum(['true', 'false'], { error: `${name} is true or false` }), z.boolean(), {
    decode: (text) => text === 'true',
    encode: (flag) => (flag ? 'true' : 'false'),
  });

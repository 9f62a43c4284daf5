import * as z from 'zod/mini';

/**
 * The catalog's terms that request schemas and the domain use without the catalog itself:
 * a module of their own, so that importing them does not build every schema of the
 * catalog model (./model.ts) at a function's cold start.
 */

export const catalogVersionId = z
  .string()
  .check(z.regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/, 'a catalog version is 1-32 letters, digits, dots or hyphens, e.g. "1.2"'));

/** Importance of a skill item for a role. `z` = not required; `null` = the standard does not rate it. */
export const importanceLevels = ['a', 'b', 'c', 'd', 'z'] as const;
export type Importance = (typeof importanceLevels)[number];

/** Levels a course completion can attain, strongest first. */
export const attainmentLevels = ['a', 'b', 'c', 'd'] as const;
export type AttainmentLevel = (typeof attainmentLevels)[number];

import * as z from 'zod/mini';

/**
 * Who counts as "digital promotion talent": explicit, versioned data. A person counts for
 * a rule version once, on the first day their evidence met any clause; that record never
 * moves (shared/domain/qualification.ts).
 */
const clause = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('certification'), description: z.string() }),
  z.strictObject({ kind: z.literal('role-readiness'), minReadiness: z.number().check(z.gt(0), z.lte(1)), description: z.string() }),
  z.strictObject({ kind: z.literal('literacy-complete'), description: z.string() }),
]);

export const countingRule = z.strictObject({
  version: z.string().check(z.regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/)),
  label: z.string(),
  provisional: z.boolean(),
  provisionalReason: z.optional(z.string()),
  /** Which evidence counts: only verified completions, or self-reported ones too. */
  evidence: z.enum(['verified', 'any']),
  anyOf: z.array(clause).check(z.minLength(1)),
});

export type CountingRule = z.infer<typeof countingRule>;
export type RuleClause = CountingRule['anyOf'][number];

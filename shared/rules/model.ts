import * as z from 'zod/mini';

/**
 * Who counts as "digital promotion talent": explicit, versioned data. A person counts for
 * a rule version once, dated by the first day their evidence met any clause; later
 * evidence dated earlier moves that day earlier, never later (shared/domain/qualification.ts).
 */
const schemeList = () => z.array(z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/), z.maxLength(64))).check(z.minLength(1), z.maxLength(50));
const description = () => z.string().check(z.minLength(1), z.maxLength(1000));

const clause = z.discriminatedUnion('kind', [
  /** Rule 2026.1's provisional clause: any provider's course registered as a certification. */
  z.strictObject({ kind: z.literal('certification'), description: description() }),
  z.strictObject({ kind: z.literal('role-readiness'), minReadiness: z.number().check(z.gt(0), z.lte(1)), description: description() }),
  z.strictObject({ kind: z.literal('literacy-complete'), description: description() }),
  /** A certification accredited under one of these schemes, attesting at least one DSS-P skill. */
  z.strictObject({ kind: z.literal('accredited-certification'), schemes: schemeList(), description: description() }),
  /**
   * An entry-level examination (IT Passport): counts only while `counts` is true, whatever
   * DSS items it attests. The office switches it in the data, with the reason.
   */
  z.strictObject({
    kind: z.literal('entry-level-exam'),
    schemes: schemeList(),
    counts: z.boolean(),
    reason: description(),
    description: description(),
  }),
]);

export const countingRule = z.strictObject({
  version: z.string().check(z.regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/)),
  label: z.string().check(z.minLength(1), z.maxLength(200)),
  provisional: z.boolean(),
  provisionalReason: z.optional(z.string().check(z.maxLength(2000))),
  /** Which evidence counts: only verified completions, or self-reported ones too. */
  evidence: z.enum(['verified', 'any']),
  /**
   * Only evidence under an accreditation the national office granted counts: a completion
   * of an accredited course dated inside a validity period, at the levels it attests.
   * Absent (rule 2026.1): any course counts.
   */
  accreditedEvidenceOnly: z.optional(z.boolean()),
  anyOf: z.array(clause).check(z.minLength(1), z.maxLength(20)),
});

export type CountingRule = z.infer<typeof countingRule>;
export type RuleClause = CountingRule['anyOf'][number];

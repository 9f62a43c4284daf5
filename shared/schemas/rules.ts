import * as z from 'zod/mini';
import { countingRule } from '../rules/model';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

const scheme = () => z.object({ id: z.string(), label: z.string(), entryLevel: z.boolean() });

export const ruleList = z.lazy(() => z.object({ current: z.string(), rules: z.array(countingRule), schemes: z.array(scheme()) }));

export const installRuleBody = z.lazy(() =>
  z.strictObject({
    rule: countingRule,
    /** Make it the rule every figure is counted under (starts a rebuild of every learner). */
    makeCurrent: z.optional(z.boolean()),
  }),
);

export const installedRule = z.lazy(() => z.object({ rule: countingRule, current: z.string() }));

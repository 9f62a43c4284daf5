import * as z from 'zod/mini';
import { countingRule } from '../rules/model';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const ruleList = z.lazy(() => z.object({ current: z.string(), rules: z.array(countingRule) }));

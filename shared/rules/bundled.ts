import rule2026v1 from './data/2026.1.json' with { type: 'json' };
import type { CountingRule } from './model';

/**
 * The counting rule versions shipped with the code; every one is evaluated for every learner.
 * test/unit/counting-rules.test.ts checks them against the model, so no function parses
 * them again at each cold start.
 */
export const countingRules: readonly CountingRule[] = [rule2026v1 as CountingRule];

export const currentCountingRule = countingRules[countingRules.length - 1]!;

export const findCountingRule = (version: string) => countingRules.find((rule) => rule.version === version);

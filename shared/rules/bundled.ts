import rule2026v1 from './data/2026.1.json' with { type: 'json' };
import { countingRule, type CountingRule } from './model';

/** The counting rule versions shipped with the code; every one is evaluated for every learner. */
export const countingRules: readonly CountingRule[] = [rule2026v1].map((data) => countingRule.parse(data));

export const currentCountingRule = countingRules[countingRules.length - 1]!;

export const findCountingRule = (version: string) => countingRules.find((rule) => rule.version === version);

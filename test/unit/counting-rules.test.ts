import { describe, expect, it } from 'vitest';
import { countingRules, currentCountingRule, findCountingRule } from '../../shared/rules/bundled';
import { countingRule } from '../../shared/rules/model';

describe('bundled counting rules', () => {
  it('every shipped rule is valid under the model, exactly as shipped', () => {
    expect(countingRules.length).toBeGreaterThan(0);
    for (const rule of countingRules) expect(countingRule.parse(rule)).toEqual(rule);
  });

  it('versions are unique; the last is current and each is found by its version', () => {
    const versions = countingRules.map((rule) => rule.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(currentCountingRule).toBe(countingRules.at(-1));
    for (const rule of countingRules) expect(findCountingRule(rule.version)).toBe(rule);
  });
});

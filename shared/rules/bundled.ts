import schemes from './data/accreditation-schemes.json' with { type: 'json' };
import rule2026v1 from './data/2026.1.json' with { type: 'json' };
import rule2026v2 from './data/2026.2.json' with { type: 'json' };
import type { CountingRule } from './model';

/**
 * The counting rule versions shipped with the code, installed at every start and deploy
 * like the bundled catalog (shared/domain/catalog-seed.ts); admin installs others through
 * POST /v1/counting-rules. test/unit/counting-rules.test.ts checks them against the model,
 * so no function parses them again at each cold start.
 */
export const countingRules: readonly CountingRule[] = [rule2026v1 as CountingRule, rule2026v2 as CountingRule];

/** The rule a release makes current unless admin has chosen one. */
export const currentCountingRule = countingRules[countingRules.length - 1]!;

export const findCountingRule = (version: string) => countingRules.find((rule) => rule.version === version);

/** Accreditation schemes the national office grants under: a list kept as data. */
export interface AccreditationScheme {
  id: string;
  label: string;
  /** An entry-level examination: counts only where a rule's entry-level clause says so. */
  entryLevel: boolean;
}

export const accreditationSchemes: readonly AccreditationScheme[] = schemes;

import { installRule, readRuleSet, setCurrentRule, type RuleSet } from '../data/counting-rules';
import { bodyFieldErrors, conflict, invalid } from '../errors';
import type { Actor } from '../identity';
import { accreditationSchemes, countingRules as bundledRules, currentCountingRule as bundledCurrent } from '../rules/bundled';
import type { CountingRule } from '../rules/model';

/**
 * Counting rules are data the national office installs and activates (POST
 * /v1/counting-rules); the versions shipped with the code are installed at every start and
 * deploy, and a release's current rule becomes current unless admin chose one. Derivations
 * evaluate the current rule only: a superseded rule's figures stay as they were when it was
 * replaced (still readable with ?rule=), so a change it would not have made (evidence
 * without accreditation) moves no figure at all.
 */
export async function seedBundledRules(now: Date): Promise<void> {
  for (const rule of bundledRules) await installRule(rule, 'release', now);
  const { current } = await readRuleSet();
  if (!current || (current.chosenBy === 'release' && current.version !== bundledCurrent.version)) {
    await setCurrentRule({ version: bundledCurrent.version, since: now.toISOString(), chosenBy: 'release' });
  }
}

const currentOf = (set: RuleSet): CountingRule => {
  const chosen = set.current && set.rules.find((r) => r.rule.version === set.current!.version);
  // Before the first seed (a fresh store in a test) the shipped current rule applies.
  return chosen?.rule ?? bundledCurrent;
};

/** The rule derivations evaluate now (up to 10 s old unless `fresh`: a rebuild reads it fresh). */
export async function activeRule(options: { fresh?: boolean } = {}): Promise<CountingRule> {
  return currentOf(await readRuleSet({ maxAgeMs: options.fresh ? 0 : 10_000 }));
}

/** A rule version by name (the current one without a name); undefined if none is installed. */
export async function findRule(version: string | undefined): Promise<CountingRule | undefined> {
  const set = await readRuleSet({ maxAgeMs: 10_000 });
  if (!version) return currentOf(set);
  return set.rules.find((r) => r.rule.version === version)?.rule ?? bundledRules.find((r) => r.version === version);
}

export async function rulesOverview() {
  const set = await readRuleSet({ maxAgeMs: 10_000 });
  const installed = set.rules.length ? set.rules.map((r) => r.rule) : [...bundledRules];
  return { current: currentOf(set).version, rules: installed, schemes: accreditationSchemes };
}

/** The rule's clauses must name known schemes (a typo would silently count nobody). */
function checkRule(rule: CountingRule): string[] {
  const known = new Set(accreditationSchemes.map((s) => s.id));
  const errors: string[] = [];
  rule.anyOf.forEach((clause, i) => {
    if (clause.kind === 'accredited-certification' || clause.kind === 'entry-level-exam') {
      for (const scheme of clause.schemes) if (!known.has(scheme)) errors.push(`anyOf[${i}].schemes: "${scheme}" is not an accreditation scheme`);
    }
  });
  const kinds = rule.anyOf.map((c) => c.kind);
  if (new Set(kinds).size !== kinds.length) errors.push('anyOf: each clause kind appears once');
  if (rule.provisional && !rule.provisionalReason) errors.push('provisionalReason: a provisional rule says why it is provisional');
  return errors;
}

/**
 * Admin installs a rule version (immutable once installed) and optionally activates it;
 * the caller then starts the rebuild that re-derives every learner under it.
 */
export async function installCountingRule(actor: Actor, rule: CountingRule, makeCurrent: boolean, now: Date) {
  const errors = checkRule(rule);
  if (errors.length) throw invalid(`The counting rule is inconsistent: ${errors.slice(0, 3).join('; ')}`, { errors: bodyFieldErrors(errors, 'rule') });
  const outcome = await installRule(rule, actor.sub, now);
  if (outcome === 'conflict') {
    throw conflict(`Counting rule "${rule.version}" is already installed with different content; rules are immutable, install it under a new version.`);
  }
  if (makeCurrent) await setCurrentRule({ version: rule.version, since: now.toISOString(), chosenBy: 'admin' });
  const { current } = await rulesOverview();
  return { created: outcome === 'installed', rule, current };
}

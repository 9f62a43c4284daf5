import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CountingRule } from '../rules/model';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { queryAll } from './query';

/** An installed counting rule version: immutable once installed, like a catalog version. */
export interface InstalledRule {
  rule: CountingRule;
  contentHash: string;
  installedAt: string;
  installedBy: string;
}

/** Which rule is current, and who made it so: a release (the shipped current rule) or admin. */
export interface CurrentRule {
  version: string;
  since: string;
  chosenBy: 'release' | 'admin';
}

/** Counting rules: every version in the one RULES partition, and the pointer to the current one. */
const rules = {
  version: { entity: 'counting-rule', key: (version: string) => ({ pk: 'RULES', sk: `VERSION#${version}` }) },
  versions: () => partition(primary, 'RULES', 'VERSION#'),
  current: { entity: 'counting-rule-current', key: () => ({ pk: 'RULES', sk: 'CURRENT' }) },
};

export const ruleHash = (rule: CountingRule) => createHash('sha256').update(JSON.stringify(rule)).digest('hex');

/** Installs a version once: the same content again is unchanged, other content under the same version a conflict. */
export async function installRule(rule: CountingRule, by: string, now: Date): Promise<'installed' | 'unchanged' | 'conflict'> {
  const hash = ruleHash(rule);
  const installed: InstalledRule = { rule, contentHash: hash, installedAt: now.toISOString(), installedBy: by };
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(rules.version.entity, [rules.version.key(rule.version)], installed),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    cache = undefined;
    return 'installed';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: rules.version.key(rule.version), ConsistentRead: true }));
  return Item && recordOf<InstalledRule>(rules.version.entity, Item).contentHash === hash ? 'unchanged' : 'conflict';
}

export async function setCurrentRule(current: CurrentRule): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(rules.current.entity, [rules.current.key()], current) }));
  cache = undefined;
}

export interface RuleSet {
  rules: InstalledRule[];
  current: CurrentRule | undefined;
}

let cache: { set: RuleSet; at: number } | undefined;

/**
 * Every installed version (oldest first) and the current pointer. Derivations may use a
 * set up to `maxAgeMs` old (rules change a few times a year; activating one starts a
 * rebuild, which reads them fresh).
 */
export async function readRuleSet(options: { maxAgeMs?: number } = {}): Promise<RuleSet> {
  if (options.maxAgeMs && cache && Date.now() - cache.at < options.maxAgeMs) return cache.set;
  const [items, current] = await Promise.all([
    queryAll<Record<string, unknown>>({ partition: rules.versions(), consistent: true }),
    db.send(new GetCommand({ TableName: table(), Key: rules.current.key(), ConsistentRead: true })),
  ]);
  const set: RuleSet = {
    rules: items
      .map((item) => recordOf<InstalledRule>(rules.version.entity, item))
      .sort((a, b) => a.installedAt.localeCompare(b.installedAt) || a.rule.version.localeCompare(b.rule.version)),
    current: current.Item ? recordOf<CurrentRule>(rules.current.entity, current.Item) : undefined,
  };
  cache = { set, at: Date.now() };
  return set;
}

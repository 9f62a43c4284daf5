import { overseesPrefecture } from '../access';
import { readAggregates } from '../data/aggregation';
import { invalid } from '../errors';
import type { Actor } from '../identity';
import { reportAggregateIds } from '../progress/report';
import { buildMonthlySeries } from '../progress/series';
import { japanDate } from '../time/japan-time';
import { findRule } from './counting-rules';

/**
 * People qualified by month since April 2022, nationally: reads the same aggregates as the
 * report's people figures (one per fiscal year), under the same disclosure control
 * (exact for admin; small counts kept from being recovered otherwise).
 */
export async function progressSeries(actor: Actor | undefined, query: { by: 'month'; rule?: string }, now: Date) {
  // The same rule as GET /v1/progress names (the current one, unless asked).
  const rule = await findRule(query.rule);
  if (!rule) throw invalid(`No counting rule version "${query.rule}"; GET /v1/counting-rules lists them.`);
  const today = japanDate(now);
  const ids = reportAggregateIds(rule.version, today);
  const aggregates = await readAggregates(ids.people);
  return buildMonthlySeries({
    today,
    ruleVersion: rule.version,
    rule,
    people: new Map(ids.years.map((fy, i) => [fy, aggregates.get(ids.people[i]!) ?? {}])),
    // National figures, as in the report's national view: exact for admin only.
    suppressSmallCells: !overseesPrefecture(actor, undefined),
  });
}

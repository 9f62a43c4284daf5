import { isCenterOf, overseesPrefecture } from '../access';
import { getCatalogVersion, getCurrentCatalogVersion } from '../data/catalog';
import { readAggregates } from '../data/aggregation';
import { listRevisions } from '../data/qualifications';
import { forbidden, invalid } from '../errors';
import type { Actor } from '../identity';
import { buildPlacementsReport, placementAggregateIds } from '../progress/placements-report';
import { buildProgressReport, reportAggregateIds, type ProgressFilters } from '../progress/report';
import { findRule } from './counting-rules';
import { japanDate } from '../time/japan-time';

export interface ProgressQuery {
  fiscalYear?: number;
  prefecture?: string;
  type?: string;
  role?: string;
  rule?: string;
}

/** Finer cells (prefecture x type or role) are for admin and for that prefecture's center. */
const mayOpenFineCells = overseesPrefecture;

/** A center sees its own prefecture's figures exactly in national answers too. */
const ownPrefecture = (actor: Actor | undefined) => (actor?.role === 'center' && isCenterOf(actor, actor.prefecture) ? actor.prefecture : undefined);

/**
 * Progress toward 2.3 million: reads one aggregate item per fiscal year for people and one
 * for completions (12 items in FY2027), whatever the number of learners.
 */
export async function progressReport(actor: Actor | undefined, query: ProgressQuery, now: Date) {
  if (query.type && query.role) throw invalid('Filter by talent type or by role, not both.');
  const rule = await findRule(query.rule);
  if (!rule) throw invalid(`No counting rule version "${query.rule}"; GET /v1/counting-rules lists them.`);
  const fine = !!query.prefecture && !!(query.type || query.role);
  if (fine && !mayOpenFineCells(actor, query.prefecture)) {
    throw forbidden('Counts by prefecture and type or role are for admin and the center of that prefecture.');
  }
  const catalogVersion = await getCurrentCatalogVersion();
  const catalog = catalogVersion ? await getCatalogVersion(catalogVersion) : undefined;
  if (query.type && !catalog?.promotion.types.some((t) => t.id === query.type)) throw invalid(`No talent type "${query.type}" in catalog ${catalogVersion}.`);
  if (query.role && !catalog?.promotion.roles.some((r) => r.id === query.role)) throw invalid(`No role "${query.role}" in catalog ${catalogVersion}.`);

  const today = japanDate(now);
  const ids = reportAggregateIds(rule.version, today);
  const aggregates = await readAggregates([...ids.people, ...ids.completions]);
  const byYear = (list: string[]) => new Map(ids.years.map((fy, i) => [fy, aggregates.get(list[i]!) ?? {}]));
  const filters: ProgressFilters = { ruleVersion: rule.version, ...query };
  delete (filters as { rule?: string }).rule;
  return buildProgressReport({
    filters,
    today,
    people: byYear(ids.people),
    completions: byYear(ids.completions),
    catalog,
    rule,
    suppressSmallCells: !mayOpenFineCells(actor, query.prefecture),
    ownPrefecture: ownPrefecture(actor),
  });
}

/** Placements and regional-return flows; exact for admin, small cells suppressed otherwise. */
export async function placementsReport(actor: Actor | undefined, query: { fiscalYear?: number; prefecture?: string }, now: Date) {
  const { years, ids } = placementAggregateIds(japanDate(now));
  const aggregates = await readAggregates(ids);
  const byYear = new Map(years.map((fy, i) => [fy, aggregates.get(ids[i]!) ?? {}]));
  return buildPlacementsReport({ byYear, ...query, suppressSmallCells: !mayOpenFineCells(actor, query.prefecture), ownPrefecture: ownPrefecture(actor) });
}

/**
 * Why a published fiscal-year figure changed: the qualifications of a counting rule whose
 * day moved earlier (late-reported evidence), most recent move last, each with the fiscal
 * years it left and joined and the prefecture it counts in; never who.
 */
export async function progressRevisions(query: { rule?: string; cursor: string | undefined; limit: number }) {
  const rule = await findRule(query.rule);
  if (!rule) throw invalid(`No counting rule version "${query.rule}"; GET /v1/counting-rules lists them.`);
  const page = await listRevisions(rule.version, {
    cursor: query.cursor,
    limit: query.limit,
    select: (qualifications) =>
      qualifications.map((q) => {
        const latest = q.revisions?.[q.revisions.length - 1];
        return latest && { ...latest, ruleVersion: q.ruleVersion, prefecture: q.prefecture };
      }),
  });
  return { ruleVersion: rule.version, revisions: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

import type { CatalogVersion } from '../catalog/model';
import type { Opening } from '../data/openings';
import { poolChangesSince, poolEntriesAt, poolEntriesUpTo, type PoolEntryRef } from '../data/pools';
import { getShortlist, type Shortlist } from '../data/shortlists';
import { needsKeyOf, poolsOfOpening, rankEntries, rankRows, withChanges, type Ranking, type RowsRanking, type ShortlistRow } from './ranking';

/**
 * Reading an opening's ranking in a bounded number of items whatever the size of its
 * pools (shared/domain/ranking.ts explains why it is exact): its shortlist, the entries
 * of its pools written since, and nothing else; or, for an opening without a shortlist
 * for its current needs, its pools themselves when they are small.
 */

// A request reads at most this many pool entries written since the opening's shortlist
// was computed (the refresh job recomputes it long before: shared/domain/shortlist-refresh.ts).
export const MERGE_AT_MOST = 500;
// Pools this small are ranked whole when the opening has no shortlist (yet): a draft, a
// new opening, a small prefecture. Larger ones wait for the job.
export const RANK_WHOLE_POOLS_UP_TO = 1000;

/**
 * Shortlists a warm process has read, kept for a minute: a shortlist never changes once
 * written, and ranking from one a few minutes old is as exact as from the newest (all
 * written since its `since` is merged), so keeping it only saves its read, and lets the
 * changes since be read alongside the opening.
 */
const KEPT_MS = 60_000;
const KEPT_AT_MOST = 200;

interface Kept {
  at: number;
  shortlist: Shortlist<ShortlistRow>;
  /** The pools the changes were last read from (the opening's, unless it changed since). */
  pools?: string;
  rows: Map<boolean, RowsRanking>;
}

const kept = new Map<string, Kept>();

function keep(openingId: string, shortlist: Shortlist<ShortlistRow>): Kept {
  if (kept.size >= KEPT_AT_MOST) kept.delete(kept.keys().next().value!);
  const entry: Kept = { at: Date.now(), shortlist, rows: new Map() };
  kept.set(openingId, entry);
  return entry;
}

/** The references to the entries of these pools written since `since`; undefined when more than a request merges. */
async function changedSince(pools: readonly string[], since: string): Promise<PoolEntryRef[] | undefined> {
  const changes = await Promise.all(pools.map((pool) => poolChangesSince(pool, since, MERGE_AT_MOST)));
  const refs = changes.flatMap((c) => c.refs);
  return changes.some((c) => c.more) || refs.length > MERGE_AT_MOST ? undefined : refs;
}

/** A read begun before the opening is known (and so before the caller is authorized). */
export interface ShortlistRead {
  openingId: string;
  shortlist: Promise<Shortlist<ShortlistRow> | undefined>;
  /** For a kept shortlist: the changes since it, already on their way. */
  early?: { pools: string; refs: Promise<PoolEntryRef[] | undefined> };
}

/** Begins reading the opening's shortlist, or, when this process keeps it, the entries changed since. */
export function readShortlist(openingId: string): ShortlistRead {
  const hit = kept.get(openingId);
  if (!hit || Date.now() - hit.at >= KEPT_MS) {
    return { openingId, shortlist: getShortlist<ShortlistRow>(openingId).then((found) => (found ? keep(openingId, found).shortlist : undefined)) };
  }
  if (!hit.pools) return { openingId, shortlist: Promise.resolve(hit.shortlist) };
  const refs = changedSince(hit.pools.split('+'), hit.shortlist.since);
  // Awaited once the caller is known to see the list; a failure before that is the request's own.
  refs.catch(() => undefined);
  return { openingId, shortlist: Promise.resolve(hit.shortlist), early: { pools: hit.pools, refs } };
}

/**
 * The opening's ranking from what `read` began, or undefined when it has no shortlist for
 * its current needs and its pools are too large to rank whole (the job computes one
 * within minutes). `onRows` gets the shortlist's own ranking as soon as it is known, for
 * reading ahead while the changes are read.
 */
export async function rankOpening(
  opening: Opening,
  catalog: CatalogVersion,
  read: ShortlistRead,
  options: { includeSelfReported: boolean; onRows?: (rows: RowsRanking) => void },
): Promise<Ranking | undefined> {
  const pools = poolsOfOpening(opening);
  let shortlist = await read.shortlist;
  if (shortlist && shortlist.needsKey !== needsKeyOf(opening) && read.early) {
    // Kept from before the opening changed: what the job computed since is read instead.
    kept.delete(opening.openingId);
    shortlist = await readShortlist(opening.openingId).shortlist;
  }
  if (shortlist && shortlist.needsKey === needsKeyOf(opening)) {
    const found = kept.get(opening.openingId);
    const entry = found?.shortlist === shortlist ? found : undefined;
    const poolsKey = pools.join('+');
    const rows = entry?.rows.get(options.includeSelfReported) ?? rankRows(opening, catalog, shortlist, options.includeSelfReported);
    if (entry) {
      entry.rows.set(options.includeSelfReported, rows);
      entry.pools = poolsKey;
    }
    options.onRows?.(rows);
    const early = read.early?.pools === poolsKey;
    const refs = await (early ? read.early!.refs : changedSince(pools, shortlist.since));
    if (refs === undefined && early) {
      // Too much changed since the kept one: the job may have computed a newer shortlist.
      kept.delete(opening.openingId);
      return rankOpening(opening, catalog, readShortlist(opening.openingId), options);
    }
    return withChanges(rows, refs === undefined ? undefined : await poolEntriesAt(refs));
  }
  const whole = await Promise.all(pools.map((pool) => poolEntriesUpTo(pool, RANK_WHOLE_POOLS_UP_TO)));
  if (!whole.every((entries) => entries !== undefined)) return undefined;
  return rankEntries(opening, catalog, whole.flat(), options.includeSelfReported);
}

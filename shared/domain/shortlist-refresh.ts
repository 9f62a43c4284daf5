import { randomBytes } from 'node:crypto';
import type { CatalogVersion } from '../catalog/model';
import { forEachConcurrently } from '../concurrency';
import { allOpenOpeningsOfPrefecture, type Opening } from '../data/openings';
import { poolChangesSince, poolEntryPages } from '../data/pools';
import { getShortlistHeads, putShortlist, type ShortlistHead } from '../data/shortlists';
import { PREFECTURE_CODES } from '../ids';
import { catalogOfOpening } from './candidates';
import { needsKeyOf, poolsOfOpening } from './ranking';
import { LatestEntries, ShortlistBuilder } from './shortlist-build';

/**
 * Keeps the shortlist of every open opening current (shared/domain/ranking.ts): computed
 * when the opening has none or its needs changed, recomputed once many entries of its
 * pools were written since (a ranking request merges them, but only up to a bound) and
 * at least daily (so rows of people who left the pools do not linger). One pass over a
 * pool, or a pair of pools, serves every due opening that draws on it.
 */
export const SHORTLIST_SIZE = 500;
/** Recompute once this many entries of the opening's pools were written since (well under a request's merge bound). */
export const REFRESH_AFTER_CHANGES = 100;
const REFRESH_AFTER_MS = 24 * 3600_000;
/**
 * `since` is set this long before the pass starts reading: an entry written just before
 * (by a writer whose clock is a little behind, or not yet visible to the pass's read) is
 * merged at read time instead of being missed.
 */
const SINCE_MARGIN_MS = 60_000;
/** Openings computed in one pass over their pools (bounds the pass's memory and time). */
const OPENINGS_PER_PASS = 500;

export type DueReason = 'missing' | 'needs-changed' | 'changes' | 'age';

interface Due {
  opening: Opening;
  reason: DueReason;
}

/** Every open opening, from the consistent per-prefecture lists. */
async function openOpenings(): Promise<Opening[]> {
  const found: Opening[] = [];
  await forEachConcurrently(PREFECTURE_CODES, 8, async (prefecture) => {
    found.push(...(await allOpenOpeningsOfPrefecture(prefecture)));
  });
  return found;
}

/**
 * Which of these openings are due, and why: openings sharing a pool and a `since` (those
 * computed in the same pass) share one count of that pool's changes.
 */
async function dueOpenings(openings: readonly Opening[], heads: Map<string, ShortlistHead>, now: Date): Promise<Due[]> {
  const due: Due[] = [];
  const counted = new Map<string, Promise<number>>();
  const changesIn = (pool: string, since: string) => {
    const key = `${pool}\u0000${since}`;
    if (!counted.has(key))
      counted.set(
        key,
        poolChangesSince(pool, since, REFRESH_AFTER_CHANGES).then((c) => c.refs.length + (c.more ? 1 : 0)),
      );
    return counted.get(key)!;
  };
  await forEachConcurrently(openings, 16, async (opening) => {
    const head = heads.get(opening.openingId);
    if (!head) return void due.push({ opening, reason: 'missing' });
    if (head.needsKey !== needsKeyOf(opening)) return void due.push({ opening, reason: 'needs-changed' });
    if (now.getTime() - Date.parse(head.computedAt) >= REFRESH_AFTER_MS) return void due.push({ opening, reason: 'age' });
    const changes = await Promise.all(poolsOfOpening(opening).map((pool) => changesIn(pool, head.since)));
    if (changes.reduce((n, c) => n + c, 0) >= REFRESH_AFTER_CHANGES) due.push({ opening, reason: 'changes' });
  });
  // Openings no large pool can be ranked without come first.
  const order: DueReason[] = ['missing', 'needs-changed', 'changes', 'age'];
  return due.sort((a, b) => order.indexOf(a.reason) - order.indexOf(b.reason));
}

/**
 * One pass: reads the pools once and computes the shortlist of each opening given (all
 * drawing on exactly these pools). A learner in two pools counts with their latest entry.
 */
export async function computeShortlists(pools: readonly string[], openings: readonly Opening[], size = SHORTLIST_SIZE): Promise<void> {
  const catalogs = new Map<string, CatalogVersion>();
  for (const opening of openings) catalogs.set(opening.catalogVersion, await catalogOfOpening(opening));
  const startedAt = Date.now();
  const computed = { since: new Date(startedAt - SINCE_MARGIN_MS).toISOString(), computedAt: new Date(startedAt).toISOString() };
  const builders = openings.map((opening) => new ShortlistBuilder(opening, catalogs.get(opening.catalogVersion)!, size));
  // One pool holds a learner once: only a pair of pools needs to tell entries of one learner apart.
  const latest = pools.length > 1 ? new LatestEntries() : undefined;
  for (const pool of pools) {
    for await (const page of poolEntryPages(pool)) {
      for (const entry of page) if (!latest || latest.admit(entry)) for (const builder of builders) builder.add(entry);
    }
  }
  const isLatest = latest?.isLatest;
  await forEachConcurrently(builders, 8, (builder) => putShortlist(builder.finish({ ...computed, generation: randomBytes(8).toString('hex') }, isLatest)));
}

/**
 * The job: finds the due openings and computes their shortlists, pools shared by many
 * openings read once per pass, until done or `deadline` (the rest are still due next time).
 */
export async function refreshShortlists(
  now: Date,
  options: { deadline?: number; size?: number } = {},
): Promise<{ open: number; due: number; computed: number; reasons: Partial<Record<DueReason, number>> }> {
  const openings = await openOpenings();
  const heads = await getShortlistHeads(openings.map((o) => o.openingId));
  const due = await dueOpenings(openings, heads, now);
  const reasons: Partial<Record<DueReason, number>> = {};
  for (const d of due) reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
  const groups = new Map<string, Opening[]>();
  for (const { opening } of due) {
    const key = poolsOfOpening(opening).join('+');
    groups.set(key, [...(groups.get(key) ?? []), opening]);
  }
  let computed = 0;
  for (const [key, members] of groups) {
    for (let start = 0; start < members.length; start += OPENINGS_PER_PASS) {
      if (options.deadline !== undefined && Date.now() >= options.deadline) return { open: openings.length, due: due.length, computed, reasons };
      const pass = members.slice(start, start + OPENINGS_PER_PASS);
      await computeShortlists(key.split('+'), pass, options.size);
      computed += pass.length;
    }
  }
  return { open: openings.length, due: due.length, computed, reasons };
}

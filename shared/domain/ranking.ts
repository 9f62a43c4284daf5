import { createHash } from 'node:crypto';
import type { CatalogVersion } from '../catalog/model';
import type { Opening } from '../data/openings';
import type { PoolEntry } from '../data/pools';
import type { Shortlist } from '../data/shortlists';
import { compareFits, fitsStyle, scoreCandidate, type CandidateFacts, type Fit, type OpeningNeeds } from '../matching/score';
import { placePool, stylePools } from './candidate-pool';
import { candidateFactsOf, type CompactStanding } from './standing';
import { isPlaceFreeStyle } from './visibility';

/**
 * Ranking an opening's candidates (pure): the whole pool at once (`rankEntries`), or from
 * the opening's shortlist merged with the pool entries written since it was computed
 * (`rankFromShortlist`). Both give the same order for everyone they list: a shortlist
 * keeps the best `size` candidates in each evidence mode and the fit of the last one kept
 * (its bound); whoever is not in it fitted worse than the bound when it was computed, so
 * after the merge everyone who fits at least as well as the bound is where full scoring
 * would put them, and the list stops there. Shortlists are computed by
 * shared/domain/shortlist-build.ts and read by shared/domain/ranking-read.ts.
 */

/** What a ranked candidate shows: a pool entry, or a shortlist row of one. */
export type Listed = Pick<PoolEntry, 'learnerId' | 'residencePrefecture' | 'turn' | 'workStyles' | 'basis'>;

export interface RankedCandidate {
  fit: Fit;
  entry: Listed;
}

export interface Ranking {
  ranked: RankedCandidate[];
  /** People in the pools whose standing under the opening's version is still being derived. */
  pending: number;
  /** When `pending` is as of this time (the shortlist's), not now. */
  pendingAsOf?: string;
  /** Set when the list holds only the best-fitting candidates: the shortlist's size. */
  shortlistSize?: number;
  /** Set when skills written since this time are not reflected (too many changes to merge; a refresh is due). */
  standingsAsOf?: string;
}

export const needsOf = (opening: Opening): OpeningNeeds => ({
  openingId: opening.openingId,
  roles: opening.roles,
  required: opening.required,
  niceToHave: opening.niceToHave,
  workStyle: opening.workStyle,
});

/**
 * The pools an opening draws from: its workplace prefecture and, for a remote or side-job
 * opening, also those who gave place-free consent for that style (shared/domain/visibility.ts).
 */
export const poolsOfOpening = (opening: Opening): string[] =>
  isPlaceFreeStyle(opening.workStyle) ? [placePool(opening.workplace.prefecture), ...stylePools(opening.workStyle)] : [placePool(opening.workplace.prefecture)];

/** Everything a ranking of the opening depends on: a shortlist computed for other needs is not used. */
export function needsKeyOf(opening: Opening): string {
  const needs = { ...needsOf(opening), catalogVersion: opening.catalogVersion, pools: poolsOfOpening(opening) };
  return createHash('sha256').update(JSON.stringify(needs)).digest('base64url');
}

/** Of several entries of one learner (one per pool), the latest. */
function latestPerLearner<E extends { learnerId: string; basis: string }>(entries: Iterable<E>): Map<string, E> {
  const latest = new Map<string, E>();
  for (const entry of entries) {
    const seen = latest.get(entry.learnerId);
    if (!seen || seen.basis < entry.basis) latest.set(entry.learnerId, entry);
  }
  return latest;
}

/**
 * Every candidate who fits the opening by place and style, best first, scored under the
 * opening's own catalog version; a learner in several pools counts once. An entry with no
 * standing under that version (derived before it was installed, a rebuild still running)
 * is counted as pending, never scored as if it were current.
 */
export function rankEntries(opening: Opening, catalog: CatalogVersion, entries: readonly PoolEntry[], includeSelfReported: boolean): Ranking {
  const needs = needsOf(opening);
  const ranked: RankedCandidate[] = [];
  let pending = 0;
  for (const entry of latestPerLearner(entries).values()) {
    if (!fitsStyle(needs, entry)) continue;
    const facts = candidateFactsOf(entry, catalog);
    if (facts) ranked.push({ entry, fit: scoreCandidate(needs, facts, includeSelfReported) });
    else pending++;
  }
  return { ranked: ranked.sort((a, b) => compareFits(a.fit, b.fit)), pending };
}

// ---------------------------------------------------------------------------------------
// Shortlist rows: a candidate narrowed to what this opening's score reads

/**
 * learner, basis, residence prefecture, work styles, turn, then the verified and the
 * self-reported level of each of the opening's items (one character each, "-" for none,
 * in `focusOf` order) and the readiness per mille of each of its roles.
 */
export type ShortlistRow = [string, string, string, string[], string, string, string, number[]];

export interface Focus {
  skills: string[];
  skillIndexes: number[];
  roles: string[];
  roleIndexes: number[];
}

export function focusOf(opening: Opening, catalog: CatalogVersion): Focus {
  const skills = [...new Set([...opening.required, ...opening.niceToHave].map((item) => item.skill))];
  const roles = [...new Set(opening.roles)];
  const skillIndex = new Map(catalog.promotion.skills.map((skill, i) => [skill.id, i]));
  const roleIndex = new Map(catalog.promotion.roles.map((role, i) => [role.id, i]));
  return { skills, skillIndexes: skills.map((s) => skillIndex.get(s) ?? -1), roles, roleIndexes: roles.map((r) => roleIndex.get(r) ?? -1) };
}

const NONE = '-';

export function rowOf(entry: PoolEntry, standing: CompactStanding, focus: Focus): ShortlistRow {
  const column = (levels: string) => focus.skillIndexes.map((i) => levels[i] ?? NONE).join('');
  return [
    entry.learnerId,
    entry.basis,
    entry.residencePrefecture,
    entry.workStyles,
    entry.turn,
    column(standing.verified),
    column(standing.selfReported),
    focus.roleIndexes.map((i) => standing.readiness[i] ?? 0),
  ];
}

const listedOf = (row: ShortlistRow): Listed => ({ learnerId: row[0], basis: row[1], residencePrefecture: row[2], workStyles: row[3], turn: row[4] });

/** The row as scoring reads it: the same facts as the full standing, for the items and roles this opening asks about. */
export function rowFacts(row: ShortlistRow, focus: Focus): CandidateFacts {
  const levels = (column: string) => {
    const found: Record<string, string> = {};
    focus.skills.forEach((skill, i) => {
      if (column[i] !== undefined && column[i] !== NONE) found[skill] = column[i]!;
    });
    return found;
  };
  const readiness: Record<string, number> = {};
  focus.roles.forEach((role, i) => {
    if (row[7][i]! > 0) readiness[role] = row[7][i]! / 1000;
  });
  return { learnerId: row[0], workStyles: row[3], verified: levels(row[5]), selfReported: levels(row[6]), readiness };
}

// ---------------------------------------------------------------------------------------
// Ranking from a shortlist and what changed since

/** The shortlist's rows ranked for one request, before the entries changed since are merged. */
export interface RowsRanking {
  opening: Opening;
  catalog: CatalogVersion;
  shortlist: Shortlist<ShortlistRow>;
  includeSelfReported: boolean;
  /** Rows that fit at least as well as the bound, best first. */
  ranked: RankedCandidate[];
}

/** The fit of a tie-break-free standing is the same for everyone with it: scored once per shape. */
function scorerFor(opening: Opening, includeSelfReported: boolean) {
  const needs = needsOf(opening);
  const byShape = new Map<string, Fit>();
  return (facts: CandidateFacts, shape: string | undefined): Fit => {
    const known = shape === undefined ? undefined : byShape.get(shape);
    if (known) {
      return { ...known, learnerId: facts.learnerId, tieBreak: createHash('sha256').update(`${opening.openingId}|${facts.learnerId}`).digest('hex') };
    }
    const fit = scoreCandidate(needs, facts, includeSelfReported);
    if (shape !== undefined) byShape.set(shape, fit);
    return fit;
  };
}

/** Ranks the shortlist's rows alone (what a page will most likely show, before the changes are read). */
export function rankRows(opening: Opening, catalog: CatalogVersion, shortlist: Shortlist<ShortlistRow>, includeSelfReported: boolean): RowsRanking {
  const focus = focusOf(opening, catalog);
  const score = scorerFor(opening, includeSelfReported);
  const bound = boundOf(shortlist, includeSelfReported);
  const ranked = shortlist.rows
    .map((row) => ({ entry: listedOf(row), fit: score(rowFacts(row, focus), `${row[5]}|${row[6]}|${row[7].join(',')}`) }))
    .filter((c) => !bound || compareFits(c.fit, bound) <= 0)
    .sort((a, b) => compareFits(a.fit, b.fit));
  return { opening, catalog, shortlist, includeSelfReported, ranked };
}

const boundOf = (shortlist: Shortlist<ShortlistRow>, includeSelfReported: boolean) =>
  includeSelfReported ? shortlist.bounds.selfReported : shortlist.bounds.verified;

/**
 * The ranking once the entries of the opening's pools written since the shortlist was
 * computed are merged in (`changed`; undefined when there were too many to read: then the
 * list is the shortlist's as it was, and says so). Entries withdrawn from a pool since are
 * still rows; their learners no longer consent to this opening, which the caller checks
 * on the live profile before showing anyone.
 */
export function withChanges(rows: RowsRanking, changed: readonly PoolEntry[] | undefined): Ranking {
  const { opening, catalog, shortlist, includeSelfReported } = rows;
  const bound = boundOf(shortlist, includeSelfReported);
  const shortlisted = bound ? { shortlistSize: shortlist.size } : {};
  if (changed === undefined) {
    return { ranked: rows.ranked, pending: shortlist.pending, pendingAsOf: shortlist.since, standingsAsOf: shortlist.since, ...shortlisted };
  }
  const needs = needsOf(opening);
  const score = scorerFor(opening, includeSelfReported);
  const rowBasis = new Map(shortlist.rows.map((row) => [row[0], row[1]]));
  const replaced = new Set<string>();
  const added: RankedCandidate[] = [];
  const pendingNow = new Set<string>();
  for (const entry of latestPerLearner(changed).values()) {
    if ((rowBasis.get(entry.learnerId) ?? '') > entry.basis) continue;
    replaced.add(entry.learnerId);
    if (!fitsStyle(needs, entry)) continue;
    const facts = candidateFactsOf(entry, catalog);
    if (!facts) pendingNow.add(entry.learnerId);
    else {
      const fit = score(facts, undefined);
      if (!bound || compareFits(fit, bound) <= 0) added.push({ entry, fit });
    }
  }
  const ranked =
    replaced.size === 0 ? rows.ranked : [...rows.ranked.filter((c) => !replaced.has(c.entry.learnerId)), ...added].sort((a, b) => compareFits(a.fit, b.fit));
  // Who is pending now: exact when the shortlist named its pending learners (or nothing changed).
  const changedIds = new Set(changed.map((e) => e.learnerId));
  const named = shortlist.pendingLearnerIds;
  const pendingKnown = named !== undefined || changedIds.size === 0;
  const pending = named ? named.filter((id) => !changedIds.has(id)).length + pendingNow.size : shortlist.pending;
  return { ranked, pending, ...(pendingKnown ? {} : { pendingAsOf: shortlist.since }), ...shortlisted };
}

/** `rankRows` then `withChanges`, in one call. */
export function rankFromShortlist(
  opening: Opening,
  catalog: CatalogVersion,
  shortlist: Shortlist<ShortlistRow>,
  changed: readonly PoolEntry[] | undefined,
  includeSelfReported: boolean,
): Ranking {
  return withChanges(rankRows(opening, catalog, shortlist, includeSelfReported), changed);
}

import { overseesPrefecture } from '../access';
import type { CatalogVersion } from '../catalog/model';
import { getCatalogVersion } from '../data/catalog';
import { badCursor } from '../data/cursor';
import { auditSubject, recordAuditOfMany } from '../data/audit';
import { getLearnerProfiles, type LearnerProfile } from '../data/learners';
import { getOpening, type Opening } from '../data/openings';
import { poolEntries, type PoolEntry } from '../data/pools';
import { forbidden, notFound } from '../errors';
import type { Actor } from '../identity';
import { keyedDigest } from '../service-keys';
import { compareFits, fitsStyle, scoreCandidate, type Fit, type OpeningNeeds } from '../matching/score';
import { placePool, stylePool } from './candidate-pool';
import { ownsOpening } from './openings';
import { candidateFactsOf } from './standing';
import { isCandidateFor, isPlaceFreeStyle } from './visibility';

export interface RankedCandidate {
  fit: Fit;
  entry: PoolEntry;
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
  isPlaceFreeStyle(opening.workStyle) ? [placePool(opening.workplace.prefecture), stylePool(opening.workStyle)] : [placePool(opening.workplace.prefecture)];

/**
 * Every candidate who fits the opening by place and style, best first, scored under the
 * opening's own catalog version; a learner in several pools counts once. An entry with no
 * standing under that version (derived before it was installed, a rebuild still running)
 * is counted as pending, never scored as if it were current.
 */
export function rankEntries(
  opening: Opening,
  catalog: CatalogVersion,
  entries: readonly PoolEntry[],
  includeSelfReported: boolean,
): { ranked: RankedCandidate[]; pending: number } {
  const needs = needsOf(opening);
  const latest = new Map<string, PoolEntry>();
  for (const entry of entries) {
    const seen = latest.get(entry.learnerId);
    if (!seen || seen.basis < entry.basis) latest.set(entry.learnerId, entry);
  }
  const ranked: RankedCandidate[] = [];
  let pending = 0;
  for (const entry of latest.values()) {
    if (!fitsStyle(needs, entry)) continue;
    const facts = candidateFactsOf(entry, catalog);
    if (facts) ranked.push({ entry, fit: scoreCandidate(needs, facts, includeSelfReported) });
    else pending++;
  }
  return { ranked: ranked.sort((a, b) => compareFits(a.fit, b.fit)), pending };
}

/** The catalog version an opening names; installed by construction (openings are checked against it). */
export async function catalogOfOpening(opening: Opening): Promise<CatalogVersion> {
  const catalog = await getCatalogVersion(opening.catalogVersion);
  if (!catalog) throw new Error(`Opening ${opening.openingId} names catalog version ${opening.catalogVersion}, which is not installed`);
  return catalog;
}

/** These learners' profiles as stored now: the source of truth for consent (pools are derived). */
export async function currentProfiles(learnerIds: readonly string[]): Promise<Map<string, LearnerProfile>> {
  return new Map((await getLearnerProfiles(learnerIds)).map((p) => [p.learnerId, p]));
}

/** Of these learners, those the consent scope rule lets be candidates for the opening right now. */
export async function stillConsenting(opening: Opening, learnerIds: readonly string[]): Promise<Set<string>> {
  const profiles = await currentProfiles(learnerIds);
  return new Set(learnerIds.filter((id) => isCandidateFor(profiles.get(id), opening)));
}

type Viewer = 'center' | 'organisation';

function viewerOf(actor: Actor, opening: Opening): Viewer | undefined {
  if (overseesPrefecture(actor, opening.workplace.prefecture)) return 'center';
  if (ownsOpening(actor, opening)) return 'organisation';
  return undefined;
}

/**
 * An organisation sees a handle per opening instead of the learner id: a MAC under the
 * deployment's handle key, so knowing a learner id does not give the handle. A proposal
 * keeps the handle it was made with, so rotating the key changes no open proposal.
 */
export async function anonymousHandle(openingId: string, learnerId: string): Promise<string> {
  const { digest } = await keyedDigest('candidate-handle', [openingId, learnerId]);
  return `cand_${digest}`;
}

/** Where the next page starts in the ranking, and how many were shown before it. */
function decodePosition(cursor: string | undefined): { next: number; shown: number } {
  if (cursor === undefined) return { next: 0, shown: 0 };
  const match = /^(\d{1,7}):(\d{1,7})$/.exec(cursor);
  if (!match) throw badCursor();
  return { next: Number(match[1]), shown: Number(match[2]) };
}

/**
 * The page after `position`: the ranking is walked past anyone whose live consent no
 * longer covers this opening, so ranks count only people shown and no page tells where
 * a hidden person stood. One person past the page is looked for to know whether another
 * page exists.
 */
// A page checks at most this many people's consent (a stale pool can hide many).
const MAX_CHECKED = 2000;

async function visiblePage(opening: Opening, ranked: RankedCandidate[], position: { next: number; shown: number }, limit: number) {
  const shown: (RankedCandidate & { rank: number; at: number })[] = [];
  let at = position.next;
  while (shown.length <= limit && at < ranked.length && at - position.next < MAX_CHECKED) {
    // Profiles are read 100 at a time (one BatchGet): few round trips past hidden people.
    const chunk = ranked.slice(at, at + Math.max(limit + 1 - shown.length, 100));
    const consenting = await stillConsenting(
      opening,
      chunk.map((c) => c.entry.learnerId),
    );
    for (const [i, c] of chunk.entries()) {
      if (shown.length > limit) break;
      if (consenting.has(c.entry.learnerId)) shown.push({ ...c, rank: position.shown + shown.length + 1, at: at + i });
    }
    at += chunk.length;
  }
  const page = shown.slice(0, limit);
  const last = page[page.length - 1];
  if (shown.length > limit && last) return { page, cursor: `${last.at + 1}:${last.rank}` };
  // Stopped by the bound before the page filled: go on from where the checks stopped.
  if (at < ranked.length && shown.length <= limit) return { page, cursor: `${at}:${position.shown + page.length}` };
  return { page, cursor: undefined };
}

export async function rankCandidatesForOpening(
  actor: Actor,
  openingId: string,
  options: { includeSelfReported: boolean; limit: number; cursor: string | undefined },
  now: Date,
) {
  const opening = await getOpening(openingId);
  const viewer = opening && viewerOf(actor, opening);
  if (!opening || !viewer) throw notFound(`No opening ${openingId} you can rank candidates for.`);
  if (options.includeSelfReported && viewer !== 'center') throw forbidden("Only the prefecture's center may count self-reported evidence.");
  const [entries, catalog] = await Promise.all([
    Promise.all(poolsOfOpening(opening).map(poolEntries)).then((pools) => pools.flat()),
    catalogOfOpening(opening),
  ]);
  const { ranked, pending } = rankEntries(opening, catalog, entries, options.includeSelfReported);
  const { page: shown, cursor } = await visiblePage(opening, ranked, decodePosition(options.cursor), options.limit);
  // Being listed shows a person's skills: each listing is in that person's audit trail.
  await recordAuditOfMany(
    actor,
    'listed-as-candidate',
    shown.map((c) => ({ subject: auditSubject.learner(c.entry.learnerId), details: { openingId } })),
    now,
  );
  const handles = viewer === 'center' ? undefined : await Promise.all(shown.map((c) => anonymousHandle(openingId, c.entry.learnerId)));
  // Readiness weighs items by the role x skill matrix of the opening's catalog version: say when that is an estimate.
  return {
    openingId,
    catalogVersion: opening.catalogVersion,
    ...(catalog.provisional ? { provisional: true, provisionalReason: catalog.provisionalReason } : {}),
    // People whose standing under this version is still being derived (after a catalog change): not ranked yet.
    ...(pending > 0 ? { pendingDerivation: pending } : {}),
    evidence: options.includeSelfReported ? 'verified and self-reported' : 'verified only',
    candidates: shown.map(({ entry, fit, rank }, i) => ({
      rank,
      candidate: handles ? handles[i]! : entry.learnerId,
      score: fit.score,
      requiredMet: `${fit.requiredMet}/${fit.requiredTotal}`,
      readiness: fit.readiness,
      met: fit.met,
      missing: fit.missing,
      residencePrefecture: entry.residencePrefecture,
      turn: entry.turn,
      workStyles: entry.workStyles,
    })),
    ...(cursor ? { cursor } : {}),
  };
}

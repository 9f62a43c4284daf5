import { overseesPrefecture } from '../access';
import type { CatalogVersion } from '../catalog/model';
import { getCatalogVersion } from '../data/catalog';
import { badCursor } from '../data/cursor';
import { auditSubject, recordAuditOfMany } from '../data/audit';
import { getLearnerProfiles, type LearnerProfile } from '../data/learners';
import { heldPeople } from '../data/person-claims';
import { getOpening, type Opening } from '../data/openings';
import { forbidden, notFound, serviceBusy } from '../errors';
import type { Actor } from '../identity';
import { keyedDigest } from '../service-keys';
import { ownsOpening } from './openings';
import type { RankedCandidate } from './ranking';
import { RANK_WHOLE_POOLS_UP_TO, rankOpening, readShortlist } from './ranking-read';
import { isCandidateFor } from './visibility';

/** The catalog version an opening names; installed by construction (openings are checked against it). */
export async function catalogOfOpening(opening: Opening): Promise<CatalogVersion> {
  const catalog = await getCatalogVersion(opening.catalogVersion);
  if (!catalog) throw new Error(`Opening ${opening.openingId} names catalog version ${opening.catalogVersion}, which is not installed`);
  return catalog;
}

/** A profile as the consent scope rule reads it: with whether the person holds a job (shared/data/person-claims.ts). */
export type CandidateProfile = LearnerProfile & { holdsPlacement: boolean };

/** These learners' profiles as stored now: the source of truth for consent and placement (pools are derived). */
export async function currentProfiles(learnerIds: readonly string[]): Promise<Map<string, CandidateProfile>> {
  const [profiles, held] = await Promise.all([getLearnerProfiles(learnerIds), heldPeople(learnerIds)]);
  return new Map(profiles.map((p) => [p.learnerId, { ...p, holdsPlacement: held.has(p.learnerId) }]));
}

/** Profiles read ahead while the rest of a ranking is read: of the people a page will most likely show. */
interface ProfilesAhead {
  ids: ReadonlySet<string>;
  profiles: Promise<Map<string, CandidateProfile>>;
}

function readAhead(learnerIds: readonly string[]): ProfilesAhead {
  const profiles = currentProfiles(learnerIds);
  // Awaited by the page; should the request fail first, the failure is its own.
  profiles.catch(() => undefined);
  return { ids: new Set(learnerIds), profiles };
}

/** Of these learners, those the consent scope rule lets be candidates for the opening right now. */
export async function stillConsenting(opening: Opening, learnerIds: readonly string[], ahead?: ProfilesAhead): Promise<Set<string>> {
  const missing = ahead ? learnerIds.filter((id) => !ahead.ids.has(id)) : learnerIds;
  const [known, fetched] = await Promise.all([ahead?.profiles, missing.length > 0 ? currentProfiles(missing) : undefined]);
  return new Set(learnerIds.filter((id) => isCandidateFor(known?.get(id) ?? fetched?.get(id), opening)));
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
// Profiles read for a page beyond the one it needs to fill up, in case a few are hidden.
const HIDDEN_ALLOWANCE = 10;

async function visiblePage(opening: Opening, ranked: RankedCandidate[], position: { next: number; shown: number }, limit: number, ahead?: ProfilesAhead) {
  const shown: (RankedCandidate & { rank: number; at: number })[] = [];
  let at = position.next;
  while (shown.length <= limit && at < ranked.length && at - position.next < MAX_CHECKED) {
    // The page and a few more first; then 100 at a time (one BatchGet): few round trips past hidden people.
    const chunk = ranked.slice(at, at + (at === position.next ? limit + 1 + HIDDEN_ALLOWANCE : 100));
    const consenting = await stillConsenting(
      opening,
      chunk.map((c) => c.entry.learnerId),
      ahead,
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
  // The shortlist is read with the opening (and shown to nobody unless the caller may see the list).
  const read = readShortlist(openingId);
  const opening = await getOpening(openingId);
  const viewer = opening && viewerOf(actor, opening);
  if (!opening || !viewer) throw notFound(`No opening ${openingId} you can rank candidates for.`);
  if (options.includeSelfReported && viewer !== 'center') throw forbidden("Only the prefecture's center may count self-reported evidence.");
  const position = decodePosition(options.cursor);
  const catalog = await catalogOfOpening(opening);
  // The page's profiles are read while the changes since the shortlist are: few changes move anyone into a page.
  let ahead: ProfilesAhead | undefined;
  const window = { from: Math.max(0, position.next - 5), to: position.next + options.limit + 1 + HIDDEN_ALLOWANCE };
  const ranking = await rankOpening(opening, catalog, read, {
    includeSelfReported: options.includeSelfReported,
    onRows: (rows) => {
      ahead = readAhead(rows.ranked.slice(window.from, window.to).map((c) => c.entry.learnerId));
    },
  });
  if (!ranking) {
    throw serviceBusy(
      `This opening draws on more than ${RANK_WHOLE_POOLS_UP_TO} candidates: its ranking is prepared by a job within a few minutes of the opening being open (and after a change). Retry the same request shortly.`,
    );
  }
  const { page: shown, cursor } = await visiblePage(opening, ranking.ranked, position, options.limit, ahead);
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
    ...(ranking.pending > 0 ? { pendingDerivation: ranking.pending, ...(ranking.pendingAsOf ? { pendingDerivationAsOf: ranking.pendingAsOf } : {}) } : {}),
    // A list bounded by the opening's shortlist says so; it is exact as far as it goes.
    ...(ranking.shortlistSize !== undefined
      ? {
          shortlisted: ranking.shortlistSize,
          shortlistReason: `Only the ${ranking.shortlistSize} best-fitting people of the opening's candidate pools (by the score below, before consent is checked) are ranked, in exact order; the list ends after them.`,
        }
      : {}),
    ...(ranking.standingsAsOf
      ? {
          standingsAsOf: ranking.standingsAsOf,
          standingsAsOfReason: 'Skills recorded after this time are not reflected yet: the ranking is being refreshed. Consent is checked now.',
        }
      : {}),
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

import { createHash } from 'node:crypto';
import { recordAudit } from '../data/audit';
import { getLearnerProfiles } from '../data/learners';
import { getOpening, type Opening } from '../data/openings';
import { poolEntries, type PoolEntry } from '../data/pools';
import { forbidden, invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import { compareFits, fitsStyle, scoreCandidate, type Fit, type OpeningNeeds } from '../matching/score';
import { PLACE_FREE_STYLES, placePool, stylePool } from './candidate-pool';
import { forEachConcurrently } from '../concurrency';
import { ownsOpening } from './openings';

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

/** The pool an opening draws from: its workplace prefecture, or everyone wanting a place-free style. */
export const poolOfOpening = (opening: Opening) =>
  (PLACE_FREE_STYLES as readonly string[]).includes(opening.workStyle) ? stylePool(opening.workStyle) : placePool(opening.workplace.prefecture);

/** Every candidate who fits the opening by place and style, best first. */
export function rankEntries(opening: Opening, entries: readonly PoolEntry[], includeSelfReported: boolean): RankedCandidate[] {
  const needs = needsOf(opening);
  return entries
    .filter((entry) => fitsStyle(needs, entry))
    .map((entry) => ({ entry, fit: scoreCandidate(needs, entry, includeSelfReported) }))
    .sort((a, b) => compareFits(a.fit, b.fit));
}

/** Of these learners, those whose profile says they consent right now (the source of truth). */
export async function stillConsenting(learnerIds: readonly string[]): Promise<Set<string>> {
  const profiles = await getLearnerProfiles(learnerIds);
  return new Set(profiles.filter((p) => p.consent.matching).map((p) => p.learnerId));
}

type Viewer = 'center' | 'organisation';

function viewerOf(actor: Actor, opening: Opening): Viewer | undefined {
  if (actor.role === 'admin') return 'center';
  if (actor.role === 'center' && actor.prefecture === opening.workplace.prefecture) return 'center';
  if (ownsOpening(actor, opening)) return 'organisation';
  return undefined;
}

/** An organisation sees a stable handle per opening instead of the learner id. */
export const anonymousHandle = (openingId: string, learnerId: string) =>
  `cand_${createHash('sha256').update(`${openingId}|${learnerId}`).digest('hex').slice(0, 16)}`;

function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^o(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalid('The cursor is not one this API issued for this list; start again without it.', { field: 'cursor' });
  return Number(match[1]);
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
  if (options.includeSelfReported && viewer !== 'center') throw forbidden('Only the prefecture\'s center may count self-reported evidence.');
  const offset = decodeOffset(options.cursor);
  const ranked = rankEntries(opening, await poolEntries(poolOfOpening(opening)), options.includeSelfReported);
  const window = ranked.slice(offset, offset + options.limit);
  const consenting = await stillConsenting(window.map((c) => c.entry.learnerId));
  const shown = window.map((c, i) => ({ ...c, rank: offset + i + 1 })).filter((c) => consenting.has(c.entry.learnerId));
  // Being listed shows a person's skills: each listing is in that person's audit trail.
  await forEachConcurrently(shown, 8, (c) => recordAudit(actor, 'listed-as-candidate', `LEARNER#${c.entry.learnerId}`, now, { openingId }));
  const next = offset + options.limit < ranked.length ? Buffer.from(`o${offset + options.limit}`).toString('base64url') : undefined;
  return {
    openingId,
    evidence: options.includeSelfReported ? 'verified and self-reported' : 'verified only',
    total: ranked.length,
    candidates: shown.map(({ entry, fit, rank }) => ({
      rank,
      candidate: viewer === 'center' ? entry.learnerId : anonymousHandle(openingId, entry.learnerId),
      score: fit.score,
      requiredMet: `${fit.requiredMet}/${fit.requiredTotal}`,
      readiness: fit.readiness,
      met: fit.met,
      missing: fit.missing,
      residencePrefecture: entry.residencePrefecture,
      turn: entry.turn,
      workStyles: entry.workStyles,
    })),
    ...(next ? { cursor: next } : {}),
  };
}

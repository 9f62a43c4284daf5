import type { CandidateReason, RankerOutcome } from '../data/match-cycles';
import { logger } from '../log';
import { explainOutcome as explainSolved } from '../matching/explain';
import type { Instance } from '../matching/instance';

/**
 * Why each candidate got what they got, for every opening on their list, and what became
 * of everyone who listed each opening (pure, ids only). The reasons are the solver's own
 * (shared/matching/explain.ts); each opening's side is the same reasons seen from the
 * opening. It names no one else: callers decide whose ids a reader may see.
 */
export interface Explained {
  candidates: Map<string, { openingId: string; reason: CandidateReason }[]>;
  openings: Map<string, { learnerId: string; position: number; outcome: RankerOutcome }[]>;
}

/**
 * The same reasons from the outcome alone, should the solver's explanation refuse the
 * result (it throws for an outcome it finds unstable): a run is never left without one.
 */
function reasonsFromOutcome(instance: Instance, seatOf: ReadonlyMap<string, string>): Explained['candidates'] {
  const filled = new Map<string, number>();
  for (const opening of seatOf.values()) filled.set(opening, (filled.get(opening) ?? 0) + 1);
  const capacity = new Map(instance.openings.map((o) => [o.id, o.capacity]));
  const listed = new Map(instance.openings.map((o) => [o.id, new Set(o.prefs)]));
  const regionFull = new Set<string>();
  for (const region of instance.regions ?? []) {
    if (region.openings.reduce((n, id) => n + (filled.get(id) ?? 0), 0) >= region.cap) for (const id of region.openings) regionFull.add(id);
  }
  const rejection = (candidate: string, opening: string): CandidateReason => {
    if (!listed.get(opening)?.has(candidate)) return 'not-on-opening-list';
    if ((filled.get(opening) ?? 0) < (capacity.get(opening) ?? 0) && regionFull.has(opening)) return 'regional-cap';
    return 'filled-by-higher-ranked';
  };
  return new Map(
    instance.candidates.map((c) => {
      const seat = seatOf.get(c.id);
      const seatAt = seat === undefined ? c.prefs.length : c.prefs.indexOf(seat);
      const reasons = c.prefs.map((openingId, i): { openingId: string; reason: CandidateReason } => ({
        openingId,
        reason: i === seatAt ? 'matched' : i > seatAt ? 'matched-higher-choice' : rejection(c.id, openingId),
      }));
      return [c.id, reasons];
    }),
  );
}

export function explainOutcome(instance: Instance, assignments: readonly { candidate: string; opening: string }[]): Explained {
  const seatOf = new Map(assignments.map((a) => [a.candidate, a.opening]));
  let candidates: Explained['candidates'];
  try {
    const solved = explainSolved(instance, { assignments: [...assignments] });
    candidates = new Map(solved.candidates.map((c) => [c.candidate, c.openings.map((o) => ({ openingId: o.opening, reason: o.reason }))]));
  } catch (error) {
    // The message names ids: only that it happened is logged.
    logger.error('match cycle: the solver would not explain the outcome; explained from the outcome alone', { errorKind: (error as Error).name });
    candidates = reasonsFromOutcome(instance, seatOf);
  }
  const openings = new Map<string, { learnerId: string; position: number; outcome: RankerOutcome }[]>(instance.openings.map((o) => [o.id, []]));
  for (const [learnerId, reasons] of candidates) {
    reasons.forEach(({ openingId, reason }, i) => {
      openings.get(openingId)?.push({ learnerId, position: i + 1, outcome: reason === 'matched' ? 'matched-here' : reason });
    });
  }
  return { candidates, openings };
}

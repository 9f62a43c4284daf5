import { preferenceArrays, ranksGivenByOpenings } from './arrays';
import type { Matching } from './deferred-acceptance';
import type { Instance } from './instance';
import { resolveRegions } from './regions';

/**
 * Why the outcome is what it is, for each person on each list: pure, ids only (the caller
 * decides whose identity a reader may see). Expects a result of `solve` for the same
 * instance; it throws if the result is not stable for it, because no honest reason exists
 * for an outcome the rules would not produce.
 *
 * For a candidate, each opening on their list, in their order:
 * - 'matched': the opening they got;
 * - 'matched-higher-choice': they got an opening they ranked higher, so this one never had
 *   to decide (this reason wins over the others below);
 * - 'not-on-opening-list': the opening did not list them, so it could never take them;
 * - 'filled-by-higher-ranked': the opening filled all its seats with people it ranked higher;
 * - 'regional-cap': the opening had a seat and would have taken them, but its region's cap
 *   was reached and the region's rule (targets, then round robin) gave the seat elsewhere.
 * For each opening with seats left, every candidate who listed it, in input order, with
 * where they went and the same reason as above: 'matched' for those it holds, else why
 * they are elsewhere ('filled-by-higher-ranked' cannot occur, as seats were left).
 */

export type CandidateReason = 'matched' | 'matched-higher-choice' | 'filled-by-higher-ranked' | 'regional-cap' | 'not-on-opening-list';
export type ApplicantReason = 'matched' | 'matched-higher-choice' | 'not-on-opening-list' | 'regional-cap';

export interface CandidateExplanation {
  candidate: string;
  assignedTo: string | null;
  openings: { opening: string; reason: CandidateReason }[];
}

export interface UnfilledOpeningExplanation {
  opening: string;
  capacity: number;
  filled: number;
  /** The opening's region, or null when it is in none. */
  region: string | null;
  applicants: { candidate: string; assignedTo: string | null; reason: ApplicantReason }[];
}

export interface OutcomeExplanation {
  candidates: CandidateExplanation[];
  unfilledOpenings: UnfilledOpeningExplanation[];
}

export function explainOutcome(instance: Instance, result: Pick<Matching, 'assignments'>): OutcomeExplanation {
  const { candidates, openings } = instance;
  const { openingIndex, candidateIndex, cStart, cList, oStart, oList } = preferenceArrays(instance);
  const rankGiven = ranksGivenByOpenings(cStart, cList, oStart, oList, openings.length);

  const assignedTo = new Int32Array(candidates.length).fill(-1);
  const held = new Int32Array(openings.length);
  for (const { candidate, opening } of result.assignments) {
    const c = candidateIndex.get(candidate);
    const o = openingIndex.get(opening);
    if (c === undefined || o === undefined) throw new Error(`assignment ${candidate} → ${opening} names an unknown id: not a result for this instance`);
    assignedTo[c] = o;
    held[o]!++;
  }

  // The entry of each candidate's list that holds their assignment, and the worst rank each
  // opening gives anyone it holds (-1 when it holds nobody).
  const assignedEntry = new Int32Array(candidates.length).fill(-1);
  const worstHeld = new Int32Array(openings.length).fill(-1);
  for (let c = 0; c < candidates.length; c++) {
    const o = assignedTo[c]!;
    if (o < 0) continue;
    for (let k = cStart[c]!; k < cStart[c + 1]!; k++) {
      if (cList[k] !== o) continue;
      assignedEntry[c] = k;
      if (rankGiven[k]! > worstHeld[o]!) worstHeld[o] = rankGiven[k]!;
    }
    if (assignedEntry[c]! < 0 || rankGiven[assignedEntry[c]!]! < 0)
      throw unstable(`${candidates[c]!.id} is assigned to ${openings[o]!.id} although they do not list each other`);
  }

  const regions = resolveRegions(instance);
  const regionOf = new Int32Array(openings.length).fill(-1);
  const regionFull = regions.map((region, r) => {
    let filled = 0;
    for (const id of region.openings) {
      const o = openingIndex.get(id)!;
      regionOf[o] = r;
      filled += held[o]!;
    }
    return filled >= region.cap;
  });

  /** Why opening o (entry k of c's list) does not hold c, who prefers it to what they got. */
  const whyNot = (c: number, k: number, o: number): 'not-on-opening-list' | 'filled-by-higher-ranked' | 'regional-cap' => {
    const rank = rankGiven[k]!;
    if (rank < 0) return 'not-on-opening-list';
    if (held[o]! >= openings[o]!.capacity) {
      if (worstHeld[o]! < rank) return 'filled-by-higher-ranked';
      throw unstable(`${openings[o]!.id} holds someone it ranks below ${candidates[c]!.id}, who prefers it`);
    }
    const r = regionOf[o]!;
    // A cap excuses only a vacancy: holding someone ranked below c would be a blocking pair.
    if (r >= 0 && regionFull[r]! && worstHeld[o]! < rank) return 'regional-cap';
    throw unstable(`${openings[o]!.id} has a free seat and lists ${candidates[c]!.id}, who prefers it`);
  };

  const explained: CandidateExplanation[] = candidates.map((candidate, c) => {
    const mine = assignedEntry[c]!;
    const reasons: CandidateExplanation['openings'] = [];
    for (let k = cStart[c]!; k < cStart[c + 1]!; k++) {
      const o = cList[k]!;
      const reason: CandidateReason = k === mine ? 'matched' : mine >= 0 && k > mine ? 'matched-higher-choice' : whyNot(c, k, o);
      reasons.push({ opening: openings[o]!.id, reason });
    }
    return { candidate: candidate.id, assignedTo: assignedTo[c]! < 0 ? null : openings[assignedTo[c]!]!.id, openings: reasons };
  });

  // Applicants per opening, in input order of candidates, with the reason already found.
  const applicants = openings.map(() => [] as UnfilledOpeningExplanation['applicants']);
  explained.forEach((entry, c) => {
    for (let k = cStart[c]!; k < cStart[c + 1]!; k++) {
      const o = cList[k]!;
      if (held[o]! >= openings[o]!.capacity) continue;
      const reason = entry.openings[k - cStart[c]!]!.reason as ApplicantReason; // a seat is left, so never 'filled-by-higher-ranked'
      applicants[o]!.push({ candidate: entry.candidate, assignedTo: entry.assignedTo, reason });
    }
  });
  const unfilledOpenings: UnfilledOpeningExplanation[] = [];
  openings.forEach((opening, o) => {
    if (held[o]! >= opening.capacity) return;
    const r = regionOf[o]!;
    unfilledOpenings.push({
      opening: opening.id,
      capacity: opening.capacity,
      filled: held[o]!,
      region: r < 0 ? null : regions[r]!.id,
      applicants: applicants[o]!,
    });
  });
  return { candidates: explained, unfilledOpenings };
}

function unstable(detail: string): Error {
  return new Error(`not a stable result for this instance: ${detail}`);
}

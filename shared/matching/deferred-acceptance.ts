import { matchingOf, preferenceArrays, ranksGivenByOpenings, siftDown, siftUp } from './arrays';
import type { PreferenceArrays } from './arrays';
import { flexibleDeferredAcceptance } from './flexible-deferred-acceptance';
import type { RegionFill } from './flexible-deferred-acceptance';
import type { Instance } from './instance';
import { regionalCapRule } from './regional-stability';
import type { PermitBlockingPair, RegionalCapViolation, ScanState } from './regional-stability';

export type { RegionFill } from './flexible-deferred-acceptance';
export type { RegionalCapViolation } from './regional-stability';

/**
 * Candidate-proposing deferred acceptance with capacities (hospitals/residents): yields the
 * candidate-optimal stable matching, which is unique, so proposal order only affects speed.
 *
 * Output order is fixed so that equal inputs give byte-identical JSON:
 * - `assignments`: one entry per matched candidate, in the order of `instance.candidates`;
 * - `unmatched`: candidate ids in the order of `instance.candidates`;
 * - keys in the order assignments, unmatched, stable (then regions, when the instance has them).
 * With `regions` in the instance, `solve` runs flexible deferred acceptance instead
 * (flexible-deferred-acceptance.ts) and `stable` is stability in Kamada and Kojima's sense
 * (regional-stability.ts); without them nothing here changes.
 * Proposal order: free candidates sit on a stack seeded so that they propose in input
 * order; a displaced candidate is pushed and proposes again next (LIFO).
 */

export interface Assignment {
  candidate: string;
  opening: string;
}

export interface Matching {
  assignments: Assignment[];
  unmatched: string[];
}

export interface MatchResult extends Matching {
  /** Result of the independent checks below, not an assumption about the algorithm. */
  stable: boolean;
  /** Only when the instance has `regions`: each region's cap and seats filled, in input order. */
  regions?: RegionFill[];
}

/** Runs deferred acceptance and certifies the outcome with the independent checkers. */
export function solve(instance: Instance): MatchResult {
  // The solver and the check share the id → index translation, the costliest step at
  // residency size (3.6 M map lookups if each did its own); the check's logic stays its own.
  const arrays = preferenceArrays(instance);
  if (instance.regions !== undefined) {
    const { assignments, unmatched, regions } = flexibleDeferredAcceptance(instance, arrays);
    const verification = verifyRegional(instance, { assignments, unmatched }, arrays);
    const stable =
      verification.assignmentProblems.length === 0 &&
      verification.capacityViolations.length === 0 &&
      verification.regionalCapViolations.length === 0 &&
      verification.blockingPairs.length === 0;
    return { assignments, unmatched, stable, regions };
  }
  const matching = deferredAcceptance(instance, arrays);
  const { problems, blocking } = scanMatching(instance, matching, undefined, arrays);
  const stable = problems.length === 0 && checkCapacities(instance, matching).length === 0 && blocking.length === 0;
  return { assignments: matching.assignments, unmatched: matching.unmatched, stable };
}

/**
 * Expects an instance accepted by `parseInstance`; throws on unknown or duplicate ids.
 * Runs in time linear in the total length of all preference lists, plus a log(capacity)
 * heap step per tentative acceptance.
 */
export function deferredAcceptance(instance: Instance, arrays: PreferenceArrays = preferenceArrays(instance)): Matching {
  const { candidates, openings } = instance;
  const candidateCount = candidates.length;

  // Both sides' lists as flat index arrays. An opening's rank of a candidate is the
  // candidate's position in that opening's list.
  const { cStart, cList, oStart, oList } = arrays;

  const rankGiven = ranksGivenByOpenings(cStart, cList, oStart, oList, openings.length);

  // Each opening holds its tentatively accepted candidates as a max-heap of ranks, so the
  // worst one is at the root. It never needs more slots than candidates it lists.
  const heapStart = new Int32Array(openings.length + 1);
  openings.forEach((o, j) => {
    heapStart[j + 1] = heapStart[j]! + Math.min(o.capacity, o.prefs.length);
  });
  const heap = new Int32Array(heapStart[openings.length]!);
  const heapSize = new Int32Array(openings.length);

  const heldBy = new Int32Array(candidateCount).fill(-1);
  const nextProposal = cStart.slice(0, candidateCount);
  const free = new Int32Array(candidateCount);
  let freeCount = 0;
  for (let c = candidateCount - 1; c >= 0; c--) free[freeCount++] = c;

  while (freeCount > 0) {
    const c = free[--freeCount]!;
    const end = cStart[c + 1]!;
    while (nextProposal[c]! < end) {
      const k = nextProposal[c]!++;
      const rank = rankGiven[k]!;
      if (rank < 0) continue; // the opening does not list c
      const o = cList[k]!;
      const base = heapStart[o]!;
      const slots = heapStart[o + 1]! - base;
      const size = heapSize[o]!;
      if (size < slots) {
        heapSize[o] = size + 1;
        siftUp(heap, base, size, rank);
        heldBy[c] = o;
        break;
      }
      if (rank < heap[base]!) {
        const displaced = oList[oStart[o]! + heap[base]!]!;
        siftDown(heap, base, size, rank);
        heldBy[displaced] = -1;
        heldBy[c] = o;
        free[freeCount++] = displaced;
        break;
      }
    }
  }

  return matchingOf(candidates, openings, heldBy);
}

// ---------------------------------------------------------------------------------------
// Independent checkers. They share no logic with the algorithm above, so that a bug there
// cannot hide itself here, and they index the other way round (applicants grouped per
// opening, each opening stamping the candidates it lists). Each is O(total list length).
// Within `solve` they read the lists through the same id → index arrays as the solver
// (arrays.ts `preferenceArrays`, a plain translation); called directly, they build their own.

export interface BlockingPair {
  candidate: string;
  opening: string;
}

export interface CapacityViolation {
  opening: string;
  capacity: number;
  assigned: number;
}

export type AssignmentProblemKind = 'unknown-candidate' | 'unknown-opening' | 'duplicate' | 'missing' | 'not-listed-by-candidate' | 'not-listed-by-opening';

export interface AssignmentProblem {
  candidate: string;
  opening?: string;
  problem: AssignmentProblemKind;
}

export interface Verification {
  assignmentProblems: AssignmentProblem[];
  capacityViolations: CapacityViolation[];
  blockingPairs: BlockingPair[];
}

/** A matching is stable when all three lists are empty. */
export function verifyMatching(instance: Instance, matching: Matching): Verification {
  const { problems, blocking } = scanMatching(instance, matching);
  return { assignmentProblems: problems, capacityViolations: checkCapacities(instance, matching), blockingPairs: blocking };
}

export interface RegionalVerification extends Verification {
  regionalCapViolations: RegionalCapViolation[];
  /** How many ordinary blocking pairs Kamada and Kojima's stability permits because a region's cap binds. */
  permittedBlockingPairs: number;
}

/**
 * Stable in Kamada and Kojima's sense when assignmentProblems, capacityViolations,
 * regionalCapViolations and blockingPairs are all empty; `blockingPairs` holds only the
 * pairs their definition does not permit (regional-stability.ts). Without regions, the
 * same as `verifyMatching`.
 */
export function verifyRegionalMatching(instance: Instance, matching: Matching): RegionalVerification {
  return verifyRegional(instance, matching);
}

function verifyRegional(instance: Instance, matching: Matching, arrays?: PreferenceArrays): RegionalVerification {
  let regionalCapViolations: RegionalCapViolation[] = [];
  const permitFor = (state: ScanState) => {
    const rule = regionalCapRule(instance, state);
    regionalCapViolations = rule.capViolations;
    return rule.permit;
  };
  const { problems, blocking, permitted } = scanMatching(instance, matching, permitFor, arrays);
  return {
    assignmentProblems: problems,
    capacityViolations: checkCapacities(instance, matching),
    regionalCapViolations,
    blockingPairs: blocking,
    permittedBlockingPairs: permitted,
  };
}

/** Openings holding more candidates than seats, in input order. */
export function checkCapacities(instance: Instance, matching: Pick<Matching, 'assignments'>): CapacityViolation[] {
  const assigned = new Map<string, number>();
  for (const a of matching.assignments) assigned.set(a.opening, (assigned.get(a.opening) ?? 0) + 1);
  return instance.openings.map((o) => ({ opening: o.id, capacity: o.capacity, assigned: assigned.get(o.id) ?? 0 })).filter((v) => v.assigned > v.capacity);
}

/**
 * Every candidate must appear exactly once (assigned or unmatched), and every assignment
 * must be between known ids that list each other. Grouped by kind: unknown ids and
 * duplicates in result order, then acceptability and missing candidates in input order.
 */
export function checkAssignments(instance: Instance, matching: Matching): AssignmentProblem[] {
  return scanMatching(instance, { assignments: matching.assignments, unmatched: matching.unmatched }).problems;
}

/**
 * Pairs (c, o) that list each other where c prefers o to its assignment (or is unmatched)
 * and o has a free seat or prefers c to its worst assigned candidate. Ordered by candidate
 * in input order, then by the candidate's preference. An assignment that a side does not
 * list counts as worse than anything it lists.
 */
export function findBlockingPairs(instance: Instance, matching: Pick<Matching, 'assignments'>): BlockingPair[] {
  return scanMatching(instance, { assignments: matching.assignments, unmatched: [] }).blocking;
}

const notListed = 0x7fffffff;

/**
 * `permitFor`, given the scan's arrays, may excuse ordinary blocking pairs (regional caps);
 * they are then only counted. `lists`, the lists as index arrays of a validated instance,
 * saves the id lookups (`solve` passes the ones it built); without it the scan builds its
 * own, tolerating unknown ids.
 */
function scanMatching(
  instance: Instance,
  matching: Matching,
  permitFor?: (state: ScanState) => PermitBlockingPair,
  lists?: Pick<PreferenceArrays, 'cList' | 'oStart' | 'oList'>,
): { problems: AssignmentProblem[]; blocking: BlockingPair[]; permitted: number } {
  const { candidates, openings } = instance;
  const candidateAt = firstIndexById(candidates);
  const openingAt = firstIndexById(openings);
  const problems: AssignmentProblem[] = [];

  const assignedTo = new Int32Array(candidates.length).fill(-1);
  const held = new Int32Array(openings.length);
  const appearances = new Int32Array(candidates.length);
  for (const { candidate, opening } of matching.assignments) {
    const c = candidateAt.get(candidate);
    const o = openingAt.get(opening);
    if (c === undefined) problems.push({ candidate, opening, problem: 'unknown-candidate' });
    else if (appearances[c]!++ > 0) problems.push({ candidate, opening, problem: 'duplicate' });
    if (c === undefined) continue;
    if (o === undefined) problems.push({ candidate, opening, problem: 'unknown-opening' });
    else {
      assignedTo[c] = o;
      held[o]!++;
    }
  }
  for (const candidate of matching.unmatched) {
    const c = candidateAt.get(candidate);
    if (c === undefined) problems.push({ candidate, problem: 'unknown-candidate' });
    else if (appearances[c]!++ > 0) problems.push({ candidate, problem: 'duplicate' });
  }

  // Candidate side: where each assignment sits in the candidate's own list, and who applied where.
  const positionOfAssigned = new Int32Array(candidates.length).fill(notListed);
  let entries = 0;
  for (const c of candidates) entries += c.prefs.length;
  const listed = lists?.cList ?? lookUpCandidateLists(candidates, openingAt, entries); // opening index per list entry, candidates back to back
  const applicantsStart = new Int32Array(openings.length + 1);
  let entry = 0;
  for (let c = 0; c < candidates.length; c++) {
    const length = candidates[c]!.prefs.length;
    for (let k = 0; k < length; k++) {
      const o = listed[entry++]!;
      if (o === assignedTo[c] && positionOfAssigned[c] === notListed) positionOfAssigned[c] = k;
      if (o >= 0) applicantsStart[o + 1]!++;
    }
  }
  for (let o = 0; o < openings.length; o++) applicantsStart[o + 1]! += applicantsStart[o]!;
  const applicant = new Int32Array(applicantsStart[openings.length]!);
  const applicantPosition = new Int32Array(applicant.length);
  const fill = applicantsStart.slice(0, openings.length);
  entry = 0;
  for (let c = 0; c < candidates.length; c++) {
    for (let k = 0; k < candidates[c]!.prefs.length; k++) {
      const o = listed[entry++]!;
      if (o < 0) continue;
      const at = fill[o]!++;
      applicant[at] = c;
      applicantPosition[at] = k;
    }
  }

  // Opening side: stamp the candidates each opening lists, then test its applicants.
  const stampedBy = new Int32Array(candidates.length).fill(-1);
  const rankHere = new Int32Array(candidates.length);
  const listedByAssigned = new Uint8Array(candidates.length);
  const blocking: { c: number; k: number; o: number }[] = [];
  const permit = permitFor?.({ openingAt, assignedTo, held });
  let permitted = 0;
  openings.forEach((opening, o) => {
    let worst = -1;
    let heldListed = 0;
    const listStart = lists === undefined ? 0 : lists.oStart[o]!;
    for (let r = 0; r < opening.prefs.length; r++) {
      const c = lists === undefined ? candidateAt.get(opening.prefs[r]!) : lists.oList[listStart + r]!;
      if (c === undefined) continue;
      stampedBy[c] = o;
      rankHere[c] = r;
      if (assignedTo[c] === o) {
        worst = r;
        heldListed++;
        listedByAssigned[c] = 1;
      }
    }
    const worstRank = heldListed < held[o]! ? Number.POSITIVE_INFINITY : worst;
    const hasFreeSeat = held[o]! < opening.capacity;
    for (let at = applicantsStart[o]!; at < applicantsStart[o + 1]!; at++) {
      const c = applicant[at]!;
      const k = applicantPosition[at]!;
      if (stampedBy[c] !== o || k >= positionOfAssigned[c]!) continue;
      if (!hasFreeSeat && !(rankHere[c]! < worstRank)) continue;
      if (permit?.(c, o, rankHere[c]!, worstRank)) permitted++;
      else blocking.push({ c, k, o });
    }
  });

  candidates.forEach((candidate, c) => {
    const o = assignedTo[c]!;
    if (appearances[c] === 0) problems.push({ candidate: candidate.id, problem: 'missing' });
    if (o < 0) return;
    const opening = openings[o]!.id;
    if (positionOfAssigned[c] === notListed) {
      problems.push({ candidate: candidate.id, opening, problem: 'not-listed-by-candidate' });
    }
    if (listedByAssigned[c] === 0) problems.push({ candidate: candidate.id, opening, problem: 'not-listed-by-opening' });
  });

  blocking.sort((a, b) => a.c - b.c || a.k - b.k);
  return { problems, blocking: blocking.map(({ c, o }) => ({ candidate: candidates[c]!.id, opening: openings[o]!.id })), permitted };
}

function lookUpCandidateLists(candidates: Instance['candidates'], openingAt: ReadonlyMap<string, number>, entries: number): Int32Array {
  const listed = new Int32Array(entries);
  let entry = 0;
  for (const { prefs } of candidates) for (const id of prefs) listed[entry++] = openingAt.get(id) ?? -1;
  return listed;
}

function firstIndexById(entries: readonly { id: string }[]): Map<string, number> {
  const index = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!index.has(e.id)) index.set(e.id, i);
  });
  return index;
}

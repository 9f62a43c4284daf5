import type { Instance } from './instance';

/**
 * Candidate-proposing deferred acceptance with capacities (hospitals/residents): yields the
 * candidate-optimal stable matching, which is unique, so proposal order only affects speed.
 *
 * Output order is fixed so that equal inputs give byte-identical JSON:
 * - `assignments`: one entry per matched candidate, in the order of `instance.candidates`;
 * - `unmatched`: candidate ids in the order of `instance.candidates`;
 * - keys in the order assignments, unmatched, stable.
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
}

/** Runs deferred acceptance and certifies the outcome with the independent checkers. */
export function solve(instance: Instance): MatchResult {
  const matching = deferredAcceptance(instance);
  const verification = verifyMatching(instance, matching);
  const stable = verification.assignmentProblems.length === 0 && verification.capacityViolations.length === 0 && verification.blockingPairs.length === 0;
  return { assignments: matching.assignments, unmatched: matching.unmatched, stable };
}

/**
 * Expects an instance accepted by `parseInstance`; throws on unknown or duplicate ids.
 * Runs in time linear in the total length of all preference lists, plus a log(capacity)
 * heap step per tentative acceptance.
 */
export function deferredAcceptance(instance: Instance): Matching {
  const { candidates, openings } = instance;
  const candidateCount = candidates.length;
  const openingIndex = indexOfIds(openings, 'opening');
  const candidateIndex = indexOfIds(candidates, 'candidate');

  // Both sides' lists as flat index arrays. An opening's rank of a candidate is the
  // candidate's position in that opening's list.
  const { start: cStart, list: cList } = flatten(candidates, openingIndex, 'opening');
  const { start: oStart, list: oList } = flatten(openings, candidateIndex, 'candidate');

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

  const assignments: Assignment[] = [];
  const unmatched: string[] = [];
  candidates.forEach((c, i) => {
    const o = heldBy[i]!;
    if (o < 0) unmatched.push(c.id);
    else assignments.push({ candidate: c.id, opening: openings[o]!.id });
  });
  return { assignments, unmatched };
}

function indexOfIds(entries: readonly { id: string }[], kind: string): Map<string, number> {
  const index = new Map<string, number>();
  entries.forEach((e, i) => {
    if (index.has(e.id)) throw new Error(`duplicate ${kind} id "${e.id}": validate with parseInstance first`);
    index.set(e.id, i);
  });
  return index;
}

/** Lists back to back (CSR): entry e of list i is list[start[i] + e]. */
function flatten(entries: readonly { prefs: readonly string[] }[], index: ReadonlyMap<string, number>, kind: string): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(entries.length + 1);
  for (let i = 0; i < entries.length; i++) start[i + 1] = start[i]! + entries[i]!.prefs.length;
  const list = new Int32Array(start[entries.length]!);
  let at = 0;
  for (const { prefs } of entries) {
    for (const id of prefs) {
      const i = index.get(id);
      if (i === undefined) throw new Error(`unknown ${kind} id "${id}": validate with parseInstance first`);
      list[at++] = i;
    }
  }
  return { start, list };
}

/**
 * For every entry k of the candidate lists, the rank the listed opening gives that
 * candidate, or -1 if it does not list them. Avoids a hash lookup per proposal: invert the
 * opening lists per candidate, then match them against the candidate's own list by
 * stamping a per-opening scratch array with the candidate index.
 */
function ranksGivenByOpenings(cStart: Int32Array, cList: Int32Array, oStart: Int32Array, oList: Int32Array, openingCount: number): Int32Array {
  const candidateCount = cStart.length - 1;
  const invStart = new Int32Array(candidateCount + 1);
  for (let e = 0; e < oList.length; e++) invStart[oList[e]! + 1]!++;
  for (let c = 0; c < candidateCount; c++) invStart[c + 1]! += invStart[c]!;
  const invOpening = new Int32Array(oList.length);
  const invRank = new Int32Array(oList.length);
  const fill = invStart.slice(0, candidateCount);
  for (let o = 0; o < openingCount; o++) {
    for (let e = oStart[o]!; e < oStart[o + 1]!; e++) {
      const at = fill[oList[e]!]!++;
      invOpening[at] = o;
      invRank[at] = e - oStart[o]!;
    }
  }

  const rankGiven = new Int32Array(cList.length).fill(-1);
  const stampedBy = new Int32Array(openingCount).fill(-1);
  const entryOf = new Int32Array(openingCount);
  for (let c = 0; c < candidateCount; c++) {
    for (let k = cStart[c]!; k < cStart[c + 1]!; k++) {
      stampedBy[cList[k]!] = c;
      entryOf[cList[k]!] = k;
    }
    for (let at = invStart[c]!; at < invStart[c + 1]!; at++) {
      const o = invOpening[at]!;
      if (stampedBy[o] === c) rankGiven[entryOf[o]!] = invRank[at]!;
    }
  }
  return rankGiven;
}

/** Inserts `rank` into the max-heap heap[base .. base+size] (size = count before insert). */
function siftUp(heap: Int32Array, base: number, size: number, rank: number): void {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[base + parent]!;
    if (above >= rank) break;
    heap[base + i] = above;
    i = parent;
  }
  heap[base + i] = rank;
}

/** Replaces the root (the worst held rank) with `rank` and restores the max-heap. */
function siftDown(heap: Int32Array, base: number, size: number, rank: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[base + child + 1]! > heap[base + child]!) child++;
    const below = heap[base + child]!;
    if (below <= rank) break;
    heap[base + i] = below;
    i = child;
  }
  heap[base + i] = rank;
}

// ---------------------------------------------------------------------------------------
// Independent checkers. They share no code with the algorithm above, so that a bug there
// cannot hide itself here, and they index the other way round (applicants grouped per
// opening, each opening stamping the candidates it lists). Each is O(total list length).

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

function scanMatching(instance: Instance, matching: Matching): { problems: AssignmentProblem[]; blocking: BlockingPair[] } {
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
  const listed = new Int32Array(entries); // opening index per list entry, candidates back to back
  const applicantsStart = new Int32Array(openings.length + 1);
  let entry = 0;
  for (let c = 0; c < candidates.length; c++) {
    const prefs = candidates[c]!.prefs;
    for (let k = 0; k < prefs.length; k++) {
      const o = openingAt.get(prefs[k]!) ?? -1;
      if (o === assignedTo[c] && positionOfAssigned[c] === notListed) positionOfAssigned[c] = k;
      if (o >= 0) applicantsStart[o + 1]!++;
      listed[entry++] = o;
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
  openings.forEach((opening, o) => {
    let worst = -1;
    let heldListed = 0;
    for (let r = 0; r < opening.prefs.length; r++) {
      const c = candidateAt.get(opening.prefs[r]!);
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
      if (hasFreeSeat || rankHere[c]! < worstRank) blocking.push({ c, k, o });
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
  return { problems, blocking: blocking.map(({ c, o }) => ({ candidate: candidates[c]!.id, opening: openings[o]!.id })) };
}

function firstIndexById(entries: readonly { id: string }[]): Map<string, number> {
  const index = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!index.has(e.id)) index.set(e.id, i);
  });
  return index;
}

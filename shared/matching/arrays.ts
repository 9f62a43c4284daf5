import type { Assignment, Matching } from './deferred-acceptance';
/**
 * Index arrays shared by the solvers (plain and with regional caps): both sides' lists as
 * flat Int32Arrays, the rank each opening gives each proposal, and the per-opening heaps
 * of held ranks. The independent checkers do not use them.
 */

/** Both sides' lists as index arrays (CSR), built once by `solve` for the solver and the check. */
export interface PreferenceArrays {
  openingIndex: Map<string, number>;
  candidateIndex: Map<string, number>;
  cStart: Int32Array;
  cList: Int32Array;
  oStart: Int32Array;
  oList: Int32Array;
}

/** Expects an instance accepted by `parseInstance`; throws on unknown or duplicate ids. */
export function preferenceArrays(instance: {
  candidates: readonly { id: string; prefs: readonly string[] }[];
  openings: readonly { id: string; prefs: readonly string[] }[];
}): PreferenceArrays {
  const openingIndex = indexOfIds(instance.openings, 'opening');
  const candidateIndex = indexOfIds(instance.candidates, 'candidate');
  const { start: cStart, list: cList } = flatten(instance.candidates, openingIndex, 'opening');
  const { start: oStart, list: oList } = flatten(instance.openings, candidateIndex, 'candidate');
  return { openingIndex, candidateIndex, cStart, cList, oStart, oList };
}

export function indexOfIds(entries: readonly { id: string }[], kind: string): Map<string, number> {
  const index = new Map<string, number>();
  entries.forEach((e, i) => {
    if (index.has(e.id)) throw new Error(`duplicate ${kind} id "${e.id}": validate with parseInstance first`);
    index.set(e.id, i);
  });
  return index;
}

/** Lists back to back (CSR): entry e of list i is list[start[i] + e]. */
export function flatten(
  entries: readonly { prefs: readonly string[] }[],
  index: ReadonlyMap<string, number>,
  kind: string,
): { start: Int32Array; list: Int32Array } {
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
export function ranksGivenByOpenings(cStart: Int32Array, cList: Int32Array, oStart: Int32Array, oList: Int32Array, openingCount: number): Int32Array {
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
export function siftUp(heap: Int32Array, base: number, size: number, rank: number): void {
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
export function siftDown(heap: Int32Array, base: number, size: number, rank: number): void {
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

/** The matching from each candidate's opening index (-1: unmatched), in the order of `candidates`. */
export function matchingOf(candidates: readonly { id: string }[], openings: readonly { id: string }[], heldBy: Int32Array): Matching {
  const assignments: Assignment[] = [];
  const unmatched: string[] = [];
  candidates.forEach((c, i) => {
    const o = heldBy[i]!;
    if (o < 0) unmatched.push(c.id);
    else assignments.push({ candidate: c.id, opening: openings[o]!.id });
  });
  return { assignments, unmatched };
}

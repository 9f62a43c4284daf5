import { matchingOf, preferenceArrays, ranksGivenByOpenings, siftDown, siftUp } from './arrays';
import type { PreferenceArrays } from './arrays';
import type { Matching } from './deferred-acceptance';
import type { Instance } from './instance';
import { resolveRegions } from './regions';

/**
 * Flexible deferred acceptance with regional caps (Kamada and Kojima, "Efficient Matching
 * under Distributional Constraints: Theory and Applications", AER 105(1), 2015):
 * candidates propose down their lists; each region chooses among the candidates who
 * applied to its openings (held plus new): every opening first takes up to its target
 * from its applicants, by its own list, then the region's remaining cap is handed out
 * one seat at a time, round robin in the region's order, to openings that still have
 * applicants and capacity. Openings in no region choose alone, as in plain deferred
 * acceptance. The region's choice is substitutable, so the outcome does not depend on
 * the order of proposals; they show it is stable in their sense (regional-stability.ts)
 * and strategy-proof for candidates, both checked by test/unit/matching-regional-caps.test.ts.
 *
 * Incremental region choice. After a choice an opening's applicants are exactly those it
 * holds, so one new applicant at opening j changes the region's choice in one place only.
 * Number the seats above the targets the round robin would give out: the s-th such seat
 * (s = 0, 1, …) of the opening at position p of an order of n openings comes at turn
 * s·n + p. A region at its cap holds exactly its targets' seats plus the earliest turns
 * its applicants can fill, so a new applicant at j either fits under the cap, or costs
 * the region the latest turn it holds (a max-heap of each opening's latest turn), or is
 * (or displaces one of j's own) the one left out.
 *
 * Output order as in `deferredAcceptance`; `regions` in input order with the seats filled.
 */

export interface RegionFill {
  id: string;
  cap: number;
  filled: number;
}

export interface RegionalMatching extends Matching {
  regions: RegionFill[];
}

/** Expects an instance accepted by `parseInstance`; throws on unknown or duplicate ids. */
export function flexibleDeferredAcceptance(instance: Instance, arrays: PreferenceArrays = preferenceArrays(instance)): RegionalMatching {
  const { candidates, openings } = instance;
  const candidateCount = candidates.length;
  const openingCount = openings.length;
  const { openingIndex, cStart, cList, oStart, oList } = arrays;
  const rankGiven = ranksGivenByOpenings(cStart, cList, oStart, oList, openingCount);

  // Held ranks per opening, a max-heap (worst at the root), as in deferredAcceptance.
  const heapStart = new Int32Array(openingCount + 1);
  openings.forEach((o, j) => {
    heapStart[j + 1] = heapStart[j]! + Math.min(o.capacity, o.prefs.length);
  });
  const heap = new Int32Array(heapStart[openingCount]!);
  const heapSize = new Int32Array(openingCount);

  // Regions: for each opening its region (-1: none), target, round-robin position and the
  // region's size; for each region its cap, seats filled and a max-heap of openings keyed
  // by the latest round-robin turn each holds (only openings above their target).
  const regions = resolveRegions(instance);
  const regionOf = new Int32Array(openingCount).fill(-1);
  const target = new Float64Array(openingCount); // a target or cap may exceed 2^31
  const position = new Int32Array(openingCount);
  const width = new Int32Array(openingCount);
  const cap = new Float64Array(regions.length);
  const filled = new Float64Array(regions.length);
  const turnHeapStart = new Int32Array(regions.length + 1);
  regions.forEach((region, r) => {
    cap[r] = region.cap;
    turnHeapStart[r + 1] = turnHeapStart[r]! + region.openings.length;
    region.openings.forEach((id, p) => {
      const j = openingIndex.get(id);
      if (j === undefined) throw new Error(`unknown opening id "${id}" in region "${region.id}": validate with parseInstance first`);
      regionOf[j] = r;
      target[j] = region.targets[p]!;
      position[j] = p;
      width[j] = region.openings.length;
    });
  });
  const turnHeap = new Int32Array(turnHeapStart[regions.length]!);
  const turnHeapSize = new Int32Array(regions.length);
  const turnHeapAt = new Int32Array(openingCount).fill(-1);
  // Seats held above target × openings in the region + position: the latest turn held.
  const latestTurn = (j: number) => (heapSize[j]! - target[j]! - 1) * width[j]! + position[j]!;

  const moveUp = (r: number, at: number) => {
    const base = turnHeapStart[r]!;
    const j = turnHeap[base + at]!;
    const turn = latestTurn(j);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = turnHeap[base + parent]!;
      if (latestTurn(above) >= turn) break;
      turnHeap[base + at] = above;
      turnHeapAt[above] = at;
      at = parent;
    }
    turnHeap[base + at] = j;
    turnHeapAt[j] = at;
  };
  const moveDown = (r: number, at: number) => {
    const base = turnHeapStart[r]!;
    const size = turnHeapSize[r]!;
    const j = turnHeap[base + at]!;
    const turn = latestTurn(j);
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && latestTurn(turnHeap[base + child + 1]!) > latestTurn(turnHeap[base + child]!)) child++;
      const below = turnHeap[base + child]!;
      if (latestTurn(below) <= turn) break;
      turnHeap[base + at] = below;
      turnHeapAt[below] = at;
      at = child;
    }
    turnHeap[base + at] = j;
    turnHeapAt[j] = at;
  };
  /** Re-files opening j after its held count changed by one. */
  const refile = (j: number) => {
    const r = regionOf[j]!;
    const at = turnHeapAt[j]!;
    const above = heapSize[j]! > target[j]!;
    if (at < 0) {
      if (!above) return;
      const size = turnHeapSize[r]!++;
      turnHeap[turnHeapStart[r]! + size] = j;
      moveUp(r, size);
      return;
    }
    if (above) {
      moveUp(r, at);
      moveDown(r, turnHeapAt[j]!);
      return;
    }
    const base = turnHeapStart[r]!;
    const last = --turnHeapSize[r]!;
    turnHeapAt[j] = -1;
    if (at === last) return;
    const moved = turnHeap[base + last]!;
    turnHeap[base + at] = moved;
    turnHeapAt[moved] = at;
    moveUp(r, at);
    moveDown(r, turnHeapAt[moved]!);
  };

  const heldBy = new Int32Array(candidateCount).fill(-1);
  const nextProposal = cStart.slice(0, candidateCount);
  const free = new Int32Array(candidateCount);
  let freeCount = 0;
  for (let c = candidateCount - 1; c >= 0; c--) free[freeCount++] = c;

  /** Opening g gives up its worst held candidate, who proposes again. */
  const dropWorst = (g: number) => {
    const base = heapStart[g]!;
    const size = --heapSize[g]!;
    const displaced = oList[oStart[g]! + heap[base]!]!;
    if (size > 0) siftDown(heap, base, size, heap[base + size]!);
    heldBy[displaced] = -1;
    free[freeCount++] = displaced;
  };

  while (freeCount > 0) {
    const c = free[--freeCount]!;
    const end = cStart[c + 1]!;
    while (nextProposal[c]! < end) {
      const k = nextProposal[c]!++;
      const rank = rankGiven[k]!;
      if (rank < 0) continue; // the opening does not list c
      const o = cList[k]!;
      const base = heapStart[o]!;
      const size = heapSize[o]!;
      const r = regionOf[o]!;
      let takesSeat: boolean;
      if (size === heapStart[o + 1]! - base)
        takesSeat = false; // at capacity: the region's counts do not change
      else if (r < 0 || filled[r]! < cap[r]!) takesSeat = true;
      else if (size < target[o]!) {
        // A target seat comes before any round-robin seat: the region gives up its latest
        // turn. There is one: the region is at its cap, and o is below its target.
        const g = turnHeap[turnHeapStart[r]!]!;
        dropWorst(g);
        refile(g);
        takesSeat = true;
        filled[r]!--;
      } else {
        const newTurn = (size - target[o]!) * width[o]! + position[o]!;
        const g = turnHeapSize[r]! > 0 ? turnHeap[turnHeapStart[r]!]! : -1;
        takesSeat = g >= 0 && newTurn < latestTurn(g);
        if (takesSeat) {
          dropWorst(g);
          refile(g);
          filled[r]!--;
        }
      }
      if (takesSeat) {
        heapSize[o] = size + 1;
        siftUp(heap, base, size, rank);
        heldBy[c] = o;
        if (r >= 0) {
          filled[r]!++;
          refile(o);
        }
        break;
      }
      // No new seat: o keeps its best `size` of those it holds and c.
      if (size > 0 && rank < heap[base]!) {
        const displaced = oList[oStart[o]! + heap[base]!]!;
        siftDown(heap, base, size, rank);
        heldBy[displaced] = -1;
        heldBy[c] = o;
        free[freeCount++] = displaced;
        break;
      }
    }
  }

  return { ...matchingOf(candidates, openings, heldBy), regions: regions.map((region, r) => ({ id: region.id, cap: region.cap, filled: filled[r]! })) };
}

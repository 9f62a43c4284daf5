import type { Instance } from './instance';
import { resolveRegions } from './regions';

/**
 * Stability under regional caps in the sense of Kamada and Kojima ("Efficient Matching
 * under Distributional Constraints: Theory and Applications", American Economic Review
 * 105(1), 2015, their definition of a stable matching): a matching is stable if it is
 * feasible (capacities and regional caps), individually rational, and every blocking pair
 * (d, h) — h ≻_d μ(d), h finds d acceptable, and h has a vacancy or prefers d to someone it
 * holds — satisfies all of
 *   (i)   the region r of h is full: |μ(H_r)| = q_r;
 *   (ii)  h prefers every doctor it holds to d (the pair blocks only through h's vacancy);
 *   (iii) d is not matched inside r, or r weakly prefers the distribution w = (|μ(h')|)
 *         over its hospitals to w', the same with d's seat moved from μ(d) to h.
 * Pairs with h in no region are never permitted: without a cap the definition is the
 * ordinary one.
 *
 * The regional preference ≿_r is the one the choice rule of their flexible deferred
 * acceptance reveals (targets q̄, then round robin in an order). Over distributions within
 * the cap: more seats first (their standing assumption on ≿_r); then more seats within
 * targets, Σ min(w_h, q̄_h); then the seats above targets taken at earlier round-robin
 * turns, where the s-th seat above target (s = 0, 1, …) of the hospital at position p of n
 * comes at turn s·n + p, the sets of turns compared as sorted lists, earliest first. For
 * (iii) only w' = w + e_h − e_g with h, g in r matters, which that order settles in O(1)
 * (`regionPrefersCurrent`); test/unit/matching-regional-caps.test.ts checks the same
 * against the whole order, written out naively.
 *
 * Independent of the solver: it reads the instance and the finished matching only.
 */

export interface RegionalCapViolation {
  region: string;
  cap: number;
  filled: number;
}

/** The index arrays of the checker's scan (deferred-acceptance.ts `scanMatching`). */
export interface ScanState {
  openingAt: ReadonlyMap<string, number>;
  /** Opening index per candidate index, -1 when unmatched. */
  assignedTo: Int32Array;
  /** Candidates assigned per opening index. */
  held: Int32Array;
}

/**
 * Called for each ordinary blocking pair (c, o): o's rank of c, and the rank of the worst
 * candidate o holds (-1 if none, +∞ if it holds one it does not list). True when the pair
 * is one Kamada and Kojima's stability permits.
 */
export type PermitBlockingPair = (c: number, o: number, rankOfCandidate: number, worstHeldRank: number) => boolean;

interface Place {
  position: number;
  target: number;
  held: number;
}

export function regionalCapRule(instance: Instance, state: ScanState): { capViolations: RegionalCapViolation[]; permit: PermitBlockingPair } {
  const { openingAt, assignedTo, held } = state;
  const regions = resolveRegions(instance);
  const openingCount = instance.openings.length;
  const regionOf = new Int32Array(openingCount).fill(-1);
  const position = new Int32Array(openingCount);
  const target = new Float64Array(openingCount); // a target may exceed 2^31
  const filled = regions.map((region, r) => {
    let sum = 0;
    region.openings.forEach((id, p) => {
      const o = openingAt.get(id);
      if (o === undefined) return;
      regionOf[o] = r;
      position[o] = p;
      target[o] = region.targets[p]!;
      sum += held[o]!;
    });
    return sum;
  });
  const capViolations = regions.flatMap((region, r) => (filled[r]! > region.cap ? [{ region: region.id, cap: region.cap, filled: filled[r]! }] : []));

  const permit: PermitBlockingPair = (c, o, rankOfCandidate, worstHeldRank) => {
    const r = regionOf[o]!;
    if (r < 0 || filled[r] !== regions[r]!.cap) return false; // no cap, or (i) fails
    // (ii): a vacancy, and every candidate held ranked above c.
    if (held[o]! >= instance.openings[o]!.capacity || !(worstHeldRank < rankOfCandidate)) return false;
    const g = assignedTo[c]!;
    if (g < 0 || regionOf[g] !== r) return true; // (iii): c is not matched inside the region
    const width = regions[r]!.openings.length;
    const gaining = { position: position[o]!, target: target[o]!, held: held[o]! };
    const losing = { position: position[g]!, target: target[g]!, held: held[g]! };
    return regionPrefersCurrent(gaining, losing, width); // (iii)
  };
  return { capViolations, permit };
}

/**
 * w ≿_r w' where w' moves one seat from g to h (same region, same total): compares the
 * seat h would gain with the seat g would lose, in the order of `≿_r` above.
 */
export function regionPrefersCurrent(h: Place, g: Place, width: number): boolean {
  const gainsTargetSeat = h.held < h.target;
  const losesTargetSeat = g.held <= g.target;
  if (gainsTargetSeat !== losesTargetSeat) return losesTargetSeat; // within-target seats count first
  if (gainsTargetSeat) return true; // a target seat for a target seat: indifferent
  const gainedTurn = (h.held - h.target) * width + h.position;
  const lostTurn = (g.held - g.target - 1) * width + g.position;
  return gainedTurn > lostTurn;
}

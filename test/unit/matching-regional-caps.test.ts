import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateInstance, mulberry32 } from '../../bench/lib/matching-generate';
import type { Assignment, BlockingPair } from '../../shared/matching/deferred-acceptance';
import { deferredAcceptance, solve, verifyRegionalMatching } from '../../shared/matching/deferred-acceptance';
import { explainOutcome } from '../../shared/matching/explain';
import { flexibleDeferredAcceptance } from '../../shared/matching/flexible-deferred-acceptance';
import type { Instance } from '../../shared/matching/instance';
import { parseInstance } from '../../shared/matching/instance';
import { proportionalTargets } from '../../shared/matching/regions';

// ---------------------------------------------------------------------------------------
// Random instances with regions, built from a seed (fast-check reports the seed of a
// failure, which rebuilds it). Lists are independent or share one popularity order;
// openings fall into up to two regions or none; caps anywhere from 0 to every seat;
// targets and order either defaulted or given.

interface Limits {
  candidates: number;
  openings: number;
  capacity: number;
}

function randomInstance(seed: number, limits: Limits): Instance {
  const random = mulberry32(seed);
  const int = (max: number) => Math.floor(random() * (max + 1)); // 0..max
  const shuffled = <T>(items: readonly T[]) => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  const list = <T>(targets: readonly T[], shared: readonly T[] | undefined) => (shared ?? shuffled(targets)).filter(() => random() < 0.7);
  const candidateIds = Array.from({ length: int(limits.candidates) }, (_, i) => `c${i}`);
  const openingIds = Array.from({ length: 1 + int(limits.openings - 1) }, (_, i) => `o${i}`);
  const popularOpenings = random() < 0.5 ? shuffled(openingIds) : undefined;
  const strongCandidates = random() < 0.5 ? shuffled(candidateIds) : undefined;
  const candidates = candidateIds.map((id) => ({ id, prefs: list(openingIds, popularOpenings) }));
  const openings = openingIds.map((id) => ({ id, capacity: 1 + int(limits.capacity - 1), prefs: list(candidateIds, strongCandidates) }));
  const regionCount = int(2);
  const members = Array.from({ length: regionCount }, () => [] as string[]);
  for (const id of shuffled(openingIds)) {
    const r = int(regionCount); // regionCount: in no region
    if (r < regionCount) members[r]!.push(id);
  }
  const capacityOf = new Map(openings.map((o) => [o.id, o.capacity]));
  const regions = members.map((ids, r) => {
    const seats = ids.reduce((sum, id) => sum + capacityOf.get(id)!, 0);
    const cap = int(seats);
    const region: NonNullable<Instance['regions']>[number] = { id: `r${r}`, openings: ids, cap };
    if (random() < 0.5) {
      let left = cap;
      region.targets = Object.fromEntries(
        ids.map((id) => {
          const target = Math.min(left, int(capacityOf.get(id)!));
          left -= target;
          return [id, target];
        }),
      );
    }
    if (random() < 0.5) region.order = shuffled(ids);
    return region;
  });
  return { candidates, openings, regions };
}

const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const small = (seed: number) => randomInstance(seed, { candidates: 8, openings: 5, capacity: 3 });

// ---------------------------------------------------------------------------------------
// Naive references, written from Kamada and Kojima (AER 2015) and sharing nothing with the
// module: their flexible deferred acceptance transcribed literally, and their stability
// with the regional preference compared over whole distributions.

interface NaiveRegion {
  id: string;
  cap: number;
  order: string[];
  target: Map<string, number>;
}

function naiveRegions(instance: Instance): NaiveRegion[] {
  return (instance.regions ?? []).map((region) => {
    const order = region.order ?? region.openings;
    const capacities = order.map((id) => instance.openings.find((o) => o.id === id)!.capacity);
    const seats = capacities.reduce((a, b) => a + b, 0);
    const target = new Map(
      order.map((id, k) => [id, region.targets ? region.targets[id]! : Math.min(capacities[k]!, Math.floor((region.cap * capacities[k]!) / seats))]),
    );
    return { id: region.id, cap: region.cap, order, target };
  });
}

/**
 * Their steps as written: every candidate rejected in the last step applies to their next
 * choice, all at once; each region (or opening in none) then chooses from scratch among
 * the candidates it held and the new applicants: targets first, then round robin.
 */
function naiveFlexibleDeferredAcceptance(instance: Instance): Assignment[] {
  const regions = naiveRegions(instance);
  const opening = (id: string) => instance.openings.find((o) => o.id === id)!;
  const rank = (o: string, c: string) => opening(o).prefs.indexOf(c);
  const held = new Map<string, string[]>(instance.openings.map((o) => [o.id, []]));
  const next = new Map(instance.candidates.map((c) => [c.id, 0]));
  let rejected = instance.candidates.map((c) => c.id);
  while (rejected.length > 0) {
    const applied = new Map<string, string[]>();
    for (const c of rejected) {
      const prefs = instance.candidates.find((x) => x.id === c)!.prefs;
      // An opening that does not list c rejects them at once: skip to the next choice.
      let k = next.get(c)!;
      while (k < prefs.length && rank(prefs[k]!, c) < 0) k++;
      next.set(c, k + 1);
      if (k < prefs.length) applied.set(prefs[k]!, [...(applied.get(prefs[k]!) ?? []), c]);
    }
    rejected = [];
    const groups = new Set([...applied.keys()].map((o) => regions.find((r) => r.order.includes(o)) ?? o));
    for (const group of groups) {
      const region = typeof group === 'string' ? undefined : group;
      const members = region ? region.order : [group as string];
      const pool = new Map(members.map((g) => [g, [...held.get(g)!, ...(applied.get(g) ?? [])].sort((a, b) => rank(g, a) - rank(g, b))]));
      const room = (g: string) => Math.min(pool.get(g)!.length, opening(g).capacity);
      const take = new Map(members.map((g) => [g, region ? Math.min(region.target.get(g)!, room(g)) : room(g)]));
      if (region) {
        let left = region.cap - [...take.values()].reduce((a, b) => a + b, 0);
        for (let progress = true; left > 0 && progress; ) {
          progress = false;
          for (const g of region.order) {
            if (left > 0 && take.get(g)! < room(g)) {
              take.set(g, take.get(g)! + 1);
              left--;
              progress = true;
            }
          }
        }
      }
      for (const g of members) {
        held.set(g, pool.get(g)!.slice(0, take.get(g)));
        rejected.push(...pool.get(g)!.slice(take.get(g)));
      }
    }
  }
  return instance.candidates.flatMap((c) => {
    const o = [...held].find(([, cs]) => cs.includes(c.id));
    return o ? [{ candidate: c.id, opening: o[0] }] : [];
  });
}

/**
 * The regional preference flexible deferred acceptance reveals, as a comparison of whole
 * distributions w, v (seats per opening) of the same total: positive when w ≻ v. More
 * seats within targets first; then the seats above targets at earlier round-robin turns
 * (turn s·n + p for the s-th seat above target of the opening at position p of n),
 * compared as sorted lists, earliest first.
 */
function comparePreference(region: NaiveRegion, w: Map<string, number>, v: Map<string, number>): number {
  const withinTargets = (x: Map<string, number>) => region.order.reduce((sum, g) => sum + Math.min(x.get(g)!, region.target.get(g)!), 0);
  if (withinTargets(w) !== withinTargets(v)) return withinTargets(w) - withinTargets(v);
  const turns = (x: Map<string, number>) =>
    region.order
      .flatMap((g, p) => Array.from({ length: Math.max(0, x.get(g)! - region.target.get(g)!) }, (_, s) => s * region.order.length + p))
      .sort((a, b) => a - b);
  const [a, b] = [turns(w), turns(v)];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

interface NaiveVerdict {
  feasible: boolean;
  /** Blocking pairs their stability does not permit, by candidate then the candidate's preference. */
  blocking: BlockingPair[];
}

function naiveRegionalStability(instance: Instance, assignments: readonly Assignment[]): NaiveVerdict {
  const regions = naiveRegions(instance);
  const partner = new Map(assignments.map((a) => [a.candidate, a.opening]));
  const holders = (o: string) => assignments.filter((a) => a.opening === o).map((a) => a.candidate);
  const opening = (id: string) => instance.openings.find((o) => o.id === id)!;
  const rankAt = (o: string, c: string) => (opening(o).prefs.includes(c) ? opening(o).prefs.indexOf(c) : Infinity);
  const regionOf = (o: string | undefined) => regions.find((r) => o !== undefined && r.order.includes(o));
  const filled = (r: NaiveRegion) => r.order.reduce((sum, g) => sum + holders(g).length, 0);
  const feasible =
    instance.openings.every((o) => holders(o.id).length <= o.capacity) &&
    regions.every((r) => filled(r) <= r.cap) &&
    assignments.every((a) => instance.candidates.find((c) => c.id === a.candidate)!.prefs.includes(a.opening) && rankAt(a.opening, a.candidate) < Infinity);
  const blocking: BlockingPair[] = [];
  for (const c of instance.candidates) {
    for (const h of c.prefs) {
      if (partner.get(c.id) === h) break;
      if (rankAt(h, c.id) === Infinity) continue;
      const held = holders(h);
      const vacancy = held.length < opening(h).capacity;
      if (!vacancy && !held.some((d) => rankAt(h, c.id) < rankAt(h, d))) continue; // not a blocking pair
      const r = regionOf(h);
      const allBetter = held.every((d) => rankAt(h, d) < rankAt(h, c.id));
      let permitted = r !== undefined && filled(r) === r.cap && vacancy && allBetter;
      if (permitted && regionOf(partner.get(c.id)) === r) {
        const w = new Map(r!.order.map((g) => [g, holders(g).length]));
        const moved = new Map(w);
        moved.set(h, w.get(h)! + 1);
        moved.set(partner.get(c.id)!, w.get(partner.get(c.id)!)! - 1);
        permitted = comparePreference(r!, w, moved) >= 0;
      }
      if (!permitted) blocking.push({ candidate: c.id, opening: h });
    }
  }
  return { feasible, blocking };
}

const sortedPairs = (assignments: readonly Assignment[]) => assignments.map((a) => `${a.candidate}→${a.opening}`).sort();

// ---------------------------------------------------------------------------------------

describe('the random instances', () => {
  it('are valid instances, with regions', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const instance = small(seed);
        expect(parseInstance(instance)).toEqual({ ok: true, instance });
      }),
      { numRuns: 300 },
    );
  });
});

describe('flexible deferred acceptance with regional caps', () => {
  it('gives the outcome of a literal transcription of Kamada and Kojima’s algorithm', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const instance = small(seed);
        expect(sortedPairs(solve(instance).assignments)).toEqual(sortedPairs(naiveFlexibleDeferredAcceptance(instance)));
      }),
      { numRuns: 500 },
    );
  });

  it('respects capacities and caps, and is stable in their sense (naive check and the module’s own)', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const instance = small(seed);
        const result = solve(instance);
        expect(naiveRegionalStability(instance, result.assignments)).toEqual({ feasible: true, blocking: [] });
        const verification = verifyRegionalMatching(instance, result);
        expect(verification).toMatchObject({ assignmentProblems: [], capacityViolations: [], regionalCapViolations: [], blockingPairs: [] });
        expect(result.stable).toBe(true);
        for (const [r, region] of (instance.regions ?? []).entries()) {
          const filled = result.assignments.filter((a) => region.openings.includes(a.opening)).length;
          expect(result.regions![r]).toEqual({ id: region.id, cap: region.cap, filled });
          expect(filled).toBeLessThanOrEqual(region.cap);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is strategy-proof for candidates: no reordered or shortened list gets anyone an opening they prefer', () => {
    const orderedSubLists = (items: readonly string[]): string[][] => [
      [],
      ...items.flatMap((first, i) => orderedSubLists([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest])),
    ];
    fc.assert(
      fc.property(seeds, (seed) => {
        const instance = randomInstance(seed, { candidates: 4, openings: 3, capacity: 2 });
        const truthful = new Map(solve(instance).assignments.map((a) => [a.candidate, a.opening]));
        const misreports = orderedSubLists(instance.openings.map((o) => o.id)); // also lists openings they find unacceptable
        for (const [i, candidate] of instance.candidates.entries()) {
          const value = (o: string | undefined) => (o === undefined || !candidate.prefs.includes(o) ? Infinity : candidate.prefs.indexOf(o));
          for (const prefs of misreports) {
            const lied = { ...instance, candidates: instance.candidates.map((c, j) => (j === i ? { id: c.id, prefs } : c)) };
            const got = solve(lied).assignments.find((a) => a.candidate === candidate.id)?.opening;
            expect(value(got)).toBeGreaterThanOrEqual(value(truthful.get(candidate.id)));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('without regions, or with none that bind, is today’s deferred acceptance', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const instance = small(seed);
        const { regions, ...plain } = instance;
        const today = deferredAcceptance(plain);
        expect(JSON.stringify(solve(plain))).toBe(JSON.stringify({ ...today, stable: true }));
        // No regions given at all, and caps equal to the region's seats: the same matching.
        expect(flexibleDeferredAcceptance({ ...plain, regions: [] })).toEqual({ ...today, regions: [] });
        const seatsOf = (ids: readonly string[]) => ids.reduce((sum, id) => sum + instance.openings.find((o) => o.id === id)!.capacity, 0);
        const loose = (regions ?? []).map((region) => ({ ...region, cap: seatsOf(region.openings) }));
        const { assignments, unmatched } = solve({ ...plain, regions: loose });
        expect({ assignments, unmatched }).toEqual(today);
      }),
      { numRuns: 400 },
    );
  });
});

describe('explanations of random outcomes', () => {
  it('exist for every outcome, and an unmatched candidate is never told they got a seat', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const instance = small(seed);
        const result = solve(instance);
        const explained = explainOutcome(instance, result);
        for (const [i, c] of explained.candidates.entries()) {
          expect(c.openings.map((o) => o.opening)).toEqual(instance.candidates[i]!.prefs);
          if (c.assignedTo === null) expect(c.openings.map((o) => o.reason)).not.toContain('matched');
          else expect(c.openings.filter((o) => o.reason === 'matched')).toEqual([{ opening: c.assignedTo, reason: 'matched' }]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the module’s stability check, against the naive definition', () => {
  it('finds exactly the blocking pairs their definition does not permit, on arbitrary matchings', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const random = mulberry32(seed ^ 0x5eed);
        const drawn = small(seed);
        // Any listed opening or none, feasible or not: caps and capacities may be broken.
        const assignments = drawn.candidates.flatMap((c) => {
          const pick = Math.floor(random() * (c.prefs.length + 1));
          return pick === c.prefs.length ? [] : [{ candidate: c.id, opening: c.prefs[pick]! }];
        });
        // Mostly, each region's cap is exactly what the matching fills (targets trimmed to
        // fit): only a full region permits anything, and condition (iii) is then in play.
        const instance: Instance = {
          ...drawn,
          regions: drawn.regions!.map((region) => {
            if (random() < 0.3) return region;
            const cap = assignments.filter((a) => region.openings.includes(a.opening)).length;
            let left = cap;
            const trim = ([id, target]: [string, number]) => {
              const kept = Math.min(target, left);
              left -= kept;
              return [id, kept];
            };
            const targets = region.targets && Object.fromEntries(Object.entries(region.targets).map(trim));
            return targets ? { ...region, cap, targets } : { ...region, cap };
          }),
        };
        expect(parseInstance(instance).ok).toBe(true);
        const unmatched = instance.candidates.filter((c) => !assignments.some((a) => a.candidate === c.id)).map((c) => c.id);
        const verification = verifyRegionalMatching(instance, { assignments, unmatched });
        const naive = naiveRegionalStability(instance, assignments);
        expect(verification.blockingPairs).toEqual(naive.blocking);
        const overCap = verification.regionalCapViolations.length > 0 || verification.capacityViolations.length > 0;
        const individuallyIrrational = verification.assignmentProblems.length > 0;
        expect(!overCap && !individuallyIrrational).toBe(naive.feasible);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('default targets', () => {
  it('are proportional to seats, rounded down, never above a capacity, summing to at most the cap', () => {
    expect(proportionalTargets(10, [5, 3, 2])).toEqual([5, 3, 2]);
    expect(proportionalTargets(7, [5, 3, 2])).toEqual([3, 2, 1]); // 3.5, 2.1, 1.4
    expect(proportionalTargets(0, [5, 3])).toEqual([0, 0]);
    expect(proportionalTargets(100, [5, 3])).toEqual([5, 3]);
    // Products beyond 2^53 are computed exactly.
    expect(proportionalTargets(3, [2 ** 52, 2 ** 52, 2 ** 52])).toEqual([1, 1, 1]);
  });
});

describe('a region at its cap, by hand', () => {
  // o1 and o2 have two seats each and agree c1 > c2 > c3 > c4; everyone prefers o1. The
  // region's cap is 2, so the default targets are 1 and 1 (2 × 2/4 each).
  const instance: Instance = {
    candidates: ['c1', 'c2', 'c3', 'c4'].map((id) => ({ id, prefs: ['o1', 'o2'] })),
    openings: ['o1', 'o2'].map((id) => ({ id, capacity: 2, prefs: ['c1', 'c2', 'c3', 'c4'] })),
    regions: [{ id: 'tokyo-area', openings: ['o1', 'o2'], cap: 2 }],
  };

  it('fills each opening’s target first: o1 gives up its second seat to o2’s target', () => {
    // Without the cap: c1, c2 at o1; c3, c4 at o2. With it, o2 takes the best who applied.
    expect(solve(instance)).toEqual({
      assignments: [
        { candidate: 'c1', opening: 'o1' },
        { candidate: 'c2', opening: 'o2' },
      ],
      unmatched: ['c3', 'c4'],
      stable: true,
      regions: [{ id: 'tokyo-area', cap: 2, filled: 2 }],
    });
    const { regions, ...uncapped } = instance;
    expect(solve(uncapped).assignments).toHaveLength(4);
  });

  it('hands seats above the targets out one at a time in the region’s order', () => {
    // One seat for two openings with no targets: the opening first in the order gets it.
    const race = (order: string[]): Instance => ({
      candidates: [
        { id: 'c1', prefs: ['o1'] },
        { id: 'c2', prefs: ['o2'] },
      ],
      openings: ['o1', 'o2'].map((id) => ({ id, capacity: 1, prefs: ['c1', 'c2'] })),
      regions: [{ id: 'r', openings: ['o1', 'o2'], cap: 1, targets: { o1: 0, o2: 0 }, order }],
    });
    expect(solve(race(['o1', 'o2'])).assignments).toEqual([{ candidate: 'c1', opening: 'o1' }]);
    expect(solve(race(['o2', 'o1'])).assignments).toEqual([{ candidate: 'c2', opening: 'o2' }]);
    // A cap of 3 over o1, o2 (two seats each): o1's second seat comes at its second turn.
    const capThree = { ...instance, regions: [{ ...instance.regions![0]!, cap: 3, targets: { o1: 0, o2: 0 } }] };
    expect(solve(capThree).assignments).toEqual([
      { candidate: 'c1', opening: 'o1' },
      { candidate: 'c2', opening: 'o1' },
      { candidate: 'c3', opening: 'o2' },
    ]);
  });

  it('a cap of 0 closes the region; openings outside it are untouched', () => {
    const closed: Instance = {
      candidates: [{ id: 'c1', prefs: ['o1', 'o3'] }],
      openings: [
        { id: 'o1', capacity: 1, prefs: ['c1'] },
        { id: 'o3', capacity: 1, prefs: ['c1'] },
      ],
      regions: [{ id: 'r', openings: ['o1'], cap: 0 }],
    };
    expect(solve(closed)).toEqual({
      assignments: [{ candidate: 'c1', opening: 'o3' }],
      unmatched: [],
      stable: true,
      regions: [{ id: 'r', cap: 0, filled: 0 }],
    });
  });
});

describe('at bench scale, with ten regions capped at 90 % of their seats', () => {
  it('is stable in their sense and fills each region to its cap', () => {
    const instance = generateInstance({ candidates: 4000, openings: 600, seats: 3700, minList: 5, maxList: 15, seed: 7 });
    const regions = Array.from({ length: 10 }, (_, r) => {
      const openings = instance.openings.filter((_, j) => j % 10 === r);
      return { id: `r${r}`, openings: openings.map((o) => o.id), cap: Math.floor(0.9 * openings.reduce((s, o) => s + o.capacity, 0)) };
    });
    const result = solve({ ...instance, regions });
    expect(result.stable).toBe(true);
    expect(result.regions!.every((r) => r.filled <= r.cap)).toBe(true);
    expect(verifyRegionalMatching({ ...instance, regions }, result).permittedBlockingPairs).toBeGreaterThan(0); // the caps bind
  });
});

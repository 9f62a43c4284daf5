import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deferredAcceptance, findBlockingPairs, solve, verifyMatching } from '../../shared/matching/deferred-acceptance';
import type { Assignment, BlockingPair, Matching } from '../../shared/matching/deferred-acceptance';
import type { Instance } from '../../shared/matching/instance';
import { parseInstance } from '../../shared/matching/instance';

// ---------------------------------------------------------------------------------------
// Arbitraries: valid instances of several textures. Lists may be empty, one-sided or shared
// by many (everyone agreeing on which opening is best is where deferred acceptance works hardest).

const permutation = <T>(items: readonly T[]) => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

function listsArb(count: number, targets: readonly string[]): fc.Arbitrary<string[][]> {
  const exactly = { minLength: count, maxLength: count };
  const independent = fc.array(fc.shuffledSubarray([...targets]), exactly);
  // One popularity order for all, each list a subsequence of it: ties in what everyone wants.
  const sharedOrder = permutation(targets).chain((order) => fc.array(fc.subarray(order), exactly));
  // A few identical lists copied many times.
  const templates = fc
    .array(fc.shuffledSubarray([...targets]), { minLength: 1, maxLength: 3 })
    .chain((lists) => fc.array(fc.constantFrom(...lists), exactly))
    .map((lists) => lists.map((list) => [...list]));
  // Everyone lists everyone: most pairs are acceptable, so there is much to decide.
  const complete = fc.array(permutation(targets), exactly);
  return fc.oneof(independent, sharedOrder, templates, complete);
}

function instanceArb(limits: { candidates: number; openings: number; capacity: number; minimum?: number }): fc.Arbitrary<Instance> {
  return fc
    .record({
      candidateCount: fc.integer({ min: limits.minimum ?? 0, max: limits.candidates }),
      openingCount: fc.integer({ min: limits.minimum ?? 0, max: limits.openings }),
    })
    .chain(({ candidateCount, openingCount }) => {
      const candidateIds = Array.from({ length: candidateCount }, (_, i) => `c${i}`);
      const openingIds = Array.from({ length: openingCount }, (_, i) => `o${i}`);
      return fc
        .record({
          candidateLists: listsArb(candidateCount, openingIds),
          openingLists: listsArb(openingCount, candidateIds),
          capacities: fc.array(fc.integer({ min: 1, max: limits.capacity }), { minLength: openingCount, maxLength: openingCount }),
          // Input order differs from id order, so sorting by id instead of input order would show.
          candidateOrder: permutation(candidateIds.map((_, i) => i)),
          openingOrder: permutation(openingIds.map((_, i) => i)),
        })
        .map(({ candidateLists, openingLists, capacities, candidateOrder, openingOrder }) => ({
          candidates: candidateOrder.map((i) => ({ id: candidateIds[i]!, prefs: candidateLists[i]! })),
          openings: openingOrder.map((i) => ({ id: openingIds[i]!, capacity: capacities[i]!, prefs: openingLists[i]! })),
        }));
    });
}

const small = instanceArb({ candidates: 12, openings: 6, capacity: 5 });
const medium = instanceArb({ candidates: 60, openings: 15, capacity: 5 });
// Small enough to enumerate every matching; mostly non-empty so there is something to compare.
const tiny = fc.oneof(instanceArb({ candidates: 5, openings: 3, capacity: 2 }), instanceArb({ candidates: 6, openings: 3, capacity: 2, minimum: 2 }));

// ---------------------------------------------------------------------------------------
// Naive reference, straight from the definitions and deliberately slow: shares nothing
// with the module under test.

function partnerMap(assignments: readonly Assignment[]): Map<string, string> {
  return new Map(assignments.map((a) => [a.candidate, a.opening]));
}

function naiveBlockingPairs(instance: Instance, assignments: readonly Assignment[]): BlockingPair[] {
  const partner = partnerMap(assignments);
  const pairs: BlockingPair[] = [];
  for (const c of instance.candidates) {
    for (const o of c.prefs) {
      if (partner.get(c.id) === o) break;
      const opening = instance.openings.find((x) => x.id === o)!;
      const rankOf = (id: string) => (opening.prefs.includes(id) ? opening.prefs.indexOf(id) : Infinity);
      if (!opening.prefs.includes(c.id)) continue;
      const held = assignments.filter((a) => a.opening === o).map((a) => a.candidate);
      if (held.length < opening.capacity || held.some((h) => rankOf(c.id) < rankOf(h))) pairs.push({ candidate: c.id, opening: o });
    }
  }
  return pairs;
}

function mutuallyAcceptable(instance: Instance, candidate: string, opening: string): boolean {
  const c = instance.candidates.find((x) => x.id === candidate)!;
  const o = instance.openings.find((x) => x.id === opening)!;
  return c.prefs.includes(opening) && o.prefs.includes(candidate);
}

/** Every feasible matching of a tiny instance that no pair blocks. */
function allStableMatchings(instance: Instance): Assignment[][] {
  const stable: Assignment[][] = [];
  const options = instance.candidates.map((c) => [undefined, ...c.prefs.filter((o) => mutuallyAcceptable(instance, c.id, o))]);
  const visit = (index: number, chosen: Assignment[]) => {
    if (index === instance.candidates.length) {
      const fits = instance.openings.every((o) => chosen.filter((a) => a.opening === o.id).length <= o.capacity);
      if (fits && naiveBlockingPairs(instance, chosen).length === 0) stable.push([...chosen]);
      return;
    }
    for (const opening of options[index]!) {
      const candidate = instance.candidates[index]!.id;
      visit(index + 1, opening === undefined ? chosen : [...chosen, { candidate, opening }]);
    }
  };
  visit(0, []);
  return stable;
}

const sortedPairs = (assignments: readonly Assignment[]) => assignments.map((a) => `${a.candidate}→${a.opening}`).sort();

// ---------------------------------------------------------------------------------------

describe('arbitraries', () => {
  it('produce instances that parseInstance accepts', () => {
    fc.assert(
      fc.property(medium, (instance) => {
        expect(parseInstance(instance)).toEqual({ ok: true, instance });
      }),
      { numRuns: 200 },
    );
  });
});

describe('deferred acceptance, on random instances', () => {
  it('is stable by the naive definition and by the module’s own checker', () => {
    fc.assert(
      fc.property(fc.oneof(small, medium), (instance) => {
        const result = solve(instance);
        expect(naiveBlockingPairs(instance, result.assignments)).toEqual([]);
        expect(verifyMatching(instance, result)).toEqual({ assignmentProblems: [], capacityViolations: [], blockingPairs: [] });
        expect(result.stable).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('respects capacities, matches each candidate at most once, and only mutually acceptable pairs', () => {
    fc.assert(
      fc.property(fc.oneof(small, medium), (instance) => {
        const { assignments, unmatched } = solve(instance);
        for (const o of instance.openings) {
          expect(assignments.filter((a) => a.opening === o.id).length).toBeLessThanOrEqual(o.capacity);
        }
        for (const a of assignments) expect(mutuallyAcceptable(instance, a.candidate, a.opening)).toBe(true);
        // Every candidate exactly once, and both lists in input order.
        const inputOrder = instance.candidates.map((c) => c.id);
        expect([...assignments.map((a) => a.candidate), ...unmatched].sort()).toEqual([...inputOrder].sort());
        expect(assignments.map((a) => a.candidate)).toEqual(inputOrder.filter((id) => !unmatched.includes(id)));
        expect(unmatched).toEqual(inputOrder.filter((id) => unmatched.includes(id)));
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same input gives byte-identical JSON, also from a deep copy', () => {
    fc.assert(
      fc.property(medium, (instance) => {
        const first = JSON.stringify(solve(instance));
        expect(JSON.stringify(solve(instance))).toBe(first);
        expect(JSON.stringify(solve(structuredClone(instance)))).toBe(first);
      }),
      { numRuns: 200 },
    );
  });

  it('finds the same matching whatever the order of the candidate and opening arrays', () => {
    const reordered = medium.chain((instance) => fc.tuple(fc.constant(instance), permutation(instance.candidates), permutation(instance.openings)));
    fc.assert(
      fc.property(reordered, ([instance, candidates, openings]) => {
        const original = deferredAcceptance(instance);
        const shuffled = deferredAcceptance({ candidates, openings });
        expect(sortedPairs(shuffled.assignments)).toEqual(sortedPairs(original.assignments));
        expect([...shuffled.unmatched].sort()).toEqual([...original.unmatched].sort());
      }),
      { numRuns: 200 },
    );
  });
});

describe('candidate optimality, by brute force on tiny instances', () => {
  it('gives every candidate their best partner over all stable matchings', () => {
    fc.assert(
      fc.property(tiny, (instance) => {
        const stable = allStableMatchings(instance);
        const result = deferredAcceptance(instance);
        expect(stable.map(sortedPairs)).toContainEqual(sortedPairs(result.assignments));
        const found = partnerMap(result.assignments);
        for (const c of instance.candidates) {
          const rank = (o: string | undefined) => (o === undefined ? Infinity : c.prefs.indexOf(o));
          const best = Math.min(...stable.map((m) => rank(partnerMap(m).get(c.id))));
          expect(rank(found.get(c.id))).toBe(best);
        }
        // Rural hospitals theorem: every stable matching matches the same candidates.
        const matchedSets = new Set(
          stable.map((m) =>
            m
              .map((a) => a.candidate)
              .sort()
              .join(','),
          ),
        );
        expect(matchedSets.size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('findBlockingPairs, against the naive definition', () => {
  // Arbitrary matchings, feasible or not: each candidate takes nothing or any listed opening.
  const withMatching = small.chain((instance) =>
    fc.tuple(
      fc.constant(instance),
      fc.tuple(...instance.candidates.map((c) => fc.option(fc.constantFrom(...(c.prefs.length > 0 ? c.prefs : ['-'])), { nil: undefined }))),
    ),
  );

  it('agrees pair for pair and in the same order', () => {
    fc.assert(
      fc.property(withMatching, ([instance, choices]) => {
        const assignments = instance.candidates.flatMap((c, i) =>
          choices[i] === undefined || choices[i] === '-' ? [] : [{ candidate: c.id, opening: choices[i] }],
        );
        expect(findBlockingPairs(instance, { assignments })).toEqual(naiveBlockingPairs(instance, assignments));
      }),
      { numRuns: 400 },
    );
  });

  it('notices when one matched candidate is dropped from a stable matching', () => {
    const withVictim = medium
      .map((instance) => ({ instance, result: deferredAcceptance(instance) }))
      .filter(({ result }) => result.assignments.length > 0)
      .chain(({ instance, result }) => fc.tuple(fc.constant(instance), fc.constant(result), fc.nat(result.assignments.length - 1)));
    fc.assert(
      fc.property(withVictim, ([instance, result, victim]) => {
        const dropped = result.assignments[victim]!;
        const broken: Matching = {
          assignments: result.assignments.filter((_, i) => i !== victim),
          unmatched: [...result.unmatched, dropped.candidate],
        };
        expect(findBlockingPairs(instance, broken)).toContainEqual(dropped);
        expect(solve(instance).stable).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

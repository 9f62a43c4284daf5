import { describe, expect, it } from 'vitest';
import { checkAssignments, checkCapacities, deferredAcceptance, findBlockingPairs, solve, verifyMatching } from '../../shared/matching/deferred-acceptance';
import type { Instance } from '../../shared/matching/instance';

/** Builds an instance from compact tables: candidate → list, opening → [capacity, list]. */
function instanceOf(candidates: Record<string, string[]>, openings: Record<string, [number, string[]]>): Instance {
  return {
    candidates: Object.entries(candidates).map(([id, prefs]) => ({ id, prefs })),
    openings: Object.entries(openings).map(([id, [capacity, prefs]]) => ({ id, capacity, prefs })),
  };
}

// Gale & Shapley (1962), first example: three stable matchings exist (everyone's first,
// second or third choice on one side). Proposing candidates must get their first choices.
const cyclic = instanceOf(
  { A: ['a', 'b', 'c'], B: ['b', 'c', 'a'], C: ['c', 'a', 'b'] },
  { a: [1, ['B', 'C', 'A']], b: [1, ['C', 'A', 'B']], c: [1, ['A', 'B', 'C']] },
);

describe('deferred acceptance on textbook instances', () => {
  it('gives proposing candidates their best stable partners, not the openings’ best', () => {
    expect(solve(cyclic)).toEqual({
      assignments: [
        { candidate: 'A', opening: 'a' },
        { candidate: 'B', opening: 'b' },
        { candidate: 'C', opening: 'c' },
      ],
      unmatched: [],
      stable: true,
    });
  });

  it('solves a 4×4 marriage instance whose only stable matching needs a chain of rejections', () => {
    // By hand: A→α; B→α rejected, B→δ; C→β; D→δ rejected, D→β displaces C; C→α displaces A;
    // A→β rejected, A→γ. Result A-γ, B-δ, C-α, D-β.
    const instance = instanceOf(
      { A: ['α', 'β', 'γ', 'δ'], B: ['α', 'δ', 'γ', 'β'], C: ['β', 'α', 'γ', 'δ'], D: ['δ', 'β', 'γ', 'α'] },
      {
        α: [1, ['D', 'C', 'A', 'B']],
        β: [1, ['B', 'D', 'A', 'C']],
        γ: [1, ['D', 'A', 'B', 'C']],
        δ: [1, ['C', 'B', 'A', 'D']],
      },
    );
    expect(solve(instance)).toEqual({
      assignments: [
        { candidate: 'A', opening: 'γ' },
        { candidate: 'B', opening: 'δ' },
        { candidate: 'C', opening: 'α' },
        { candidate: 'D', opening: 'β' },
      ],
      unmatched: [],
      stable: true,
    });
  });

  it('fills capacities, displaces the worst held candidate, and leaves the rejected unmatched', () => {
    // By hand: c1→o1; c2→o1 displaces c1; c1→o2; c3→o2 rejected, c3→o1 rejected (o1 holds c2
    // whom it prefers); c4→o3; c5→o1 displaces c2; c2→o3 takes the second seat.
    const instance = instanceOf(
      { c1: ['o1', 'o2', 'o3'], c2: ['o1', 'o3'], c3: ['o2', 'o1'], c4: ['o3', 'o2'], c5: ['o1', 'o2', 'o3'] },
      {
        o1: [1, ['c5', 'c2', 'c1', 'c3']],
        o2: [1, ['c1', 'c4', 'c3', 'c5']],
        o3: [2, ['c2', 'c5', 'c1', 'c4']],
      },
    );
    expect(solve(instance)).toEqual({
      assignments: [
        { candidate: 'c1', opening: 'o2' },
        { candidate: 'c2', opening: 'o3' },
        { candidate: 'c4', opening: 'o3' },
        { candidate: 'c5', opening: 'o1' },
      ],
      unmatched: ['c3'],
      stable: true,
    });
  });

  it('never matches a one-sided listing', () => {
    const instance = instanceOf({ c1: ['o1'], c2: ['o1'] }, { o1: [5, ['c2']] });
    expect(solve(instance)).toEqual({ assignments: [{ candidate: 'c2', opening: 'o1' }], unmatched: ['c1'], stable: true });
  });

  it('handles an empty instance and candidates with empty lists', () => {
    expect(solve({ candidates: [], openings: [] })).toEqual({ assignments: [], unmatched: [], stable: true });
    expect(solve(instanceOf({ c1: [] }, { o1: [1, ['c1']] }))).toEqual({ assignments: [], unmatched: ['c1'], stable: true });
  });
});

describe('output format', () => {
  it('lists assignments and unmatched candidates in input order, whatever the ids', () => {
    const instance = instanceOf({ z: ['o2'], b: ['o1'], m: ['o1'], a: ['o1'] }, { o1: [1, ['a', 'm', 'b']], o2: [1, ['z']] });
    expect(JSON.stringify(solve(instance))).toBe(
      '{"assignments":[{"candidate":"z","opening":"o2"},{"candidate":"a","opening":"o1"}],"unmatched":["b","m"],"stable":true}',
    );
  });
});

describe('deferredAcceptance on unvalidated input', () => {
  it('refuses unknown ids instead of guessing', () => {
    expect(() => deferredAcceptance(instanceOf({ c1: ['o9'] }, { o1: [1, []] }))).toThrow('unknown opening id "o9": validate with parseInstance first');
  });
});

describe('the independent checkers catch broken matchings', () => {
  const instance = instanceOf({ c1: ['o1', 'o2'], c2: ['o1'], c3: ['o2', 'o1'] }, { o1: [1, ['c2', 'c1', 'c3']], o2: [1, ['c1', 'c3']] });

  it('finds the blocking pairs of an unstable matching, in candidate then preference order', () => {
    // c2 is o1's favourite but unmatched; c1 would rather have o1 than o2, and o1 prefers c1 to c3.
    const unstable = {
      assignments: [
        { candidate: 'c1', opening: 'o2' },
        { candidate: 'c3', opening: 'o1' },
      ],
      unmatched: ['c2'],
    };
    expect(findBlockingPairs(instance, unstable)).toEqual([
      { candidate: 'c1', opening: 'o1' },
      { candidate: 'c2', opening: 'o1' },
    ]);
  });

  it('sees a free seat as an invitation to everyone the opening lists', () => {
    const empty = { assignments: [], unmatched: ['c1', 'c2', 'c3'] };
    expect(findBlockingPairs(instance, empty)).toEqual([
      { candidate: 'c1', opening: 'o1' },
      { candidate: 'c1', opening: 'o2' },
      { candidate: 'c2', opening: 'o1' },
      { candidate: 'c3', opening: 'o2' },
      { candidate: 'c3', opening: 'o1' },
    ]);
  });

  it('reports openings over capacity', () => {
    const crowded = {
      assignments: [
        { candidate: 'c1', opening: 'o1' },
        { candidate: 'c2', opening: 'o1' },
      ],
      unmatched: ['c3'],
    };
    expect(checkCapacities(instance, crowded)).toEqual([{ opening: 'o1', capacity: 1, assigned: 2 }]);
  });

  it('reports unknown ids, duplicates, missing candidates and pairs that do not list each other', () => {
    const broken = {
      assignments: [
        { candidate: 'c2', opening: 'o2' },
        { candidate: 'c9', opening: 'o1' },
        { candidate: 'c3', opening: 'o7' },
      ],
      unmatched: ['c2'],
    };
    expect(checkAssignments(instance, broken)).toEqual([
      { candidate: 'c9', opening: 'o1', problem: 'unknown-candidate' },
      { candidate: 'c3', opening: 'o7', problem: 'unknown-opening' },
      { candidate: 'c2', problem: 'duplicate' },
      { candidate: 'c1', problem: 'missing' },
      { candidate: 'c2', opening: 'o2', problem: 'not-listed-by-candidate' },
      { candidate: 'c2', opening: 'o2', problem: 'not-listed-by-opening' },
    ]);
  });

  it('treats an assignment the candidate does not list as worse than anything it lists', () => {
    const odd = { assignments: [{ candidate: 'c2', opening: 'o2' }], unmatched: ['c1', 'c3'] };
    expect(verifyMatching(instance, odd).blockingPairs).toContainEqual({ candidate: 'c2', opening: 'o1' });
  });

  it('accepts the deferred-acceptance result', () => {
    const result = deferredAcceptance(instance);
    expect(result).toEqual({
      assignments: [
        { candidate: 'c1', opening: 'o2' },
        { candidate: 'c2', opening: 'o1' },
      ],
      unmatched: ['c3'],
    });
    expect(verifyMatching(instance, result)).toEqual({ assignmentProblems: [], capacityViolations: [], blockingPairs: [] });
  });
});

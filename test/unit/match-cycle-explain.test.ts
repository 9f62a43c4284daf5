import { describe, expect, it } from 'vitest';
import { explainOutcome } from '../../shared/domain/match-cycle-explain';
import { solve } from '../../shared/matching/deferred-acceptance';
import type { Instance } from '../../shared/matching/instance';

// Two openings of one seat; c1 and c2 both want o1 most, o1 prefers c2; o2 does not list c3.
const instance: Instance = {
  candidates: [
    { id: 'c1', prefs: ['o1', 'o2'] },
    { id: 'c2', prefs: ['o1', 'o2'] },
    { id: 'c3', prefs: ['o2', 'o1'] },
  ],
  openings: [
    { id: 'o1', capacity: 1, prefs: ['c2', 'c1', 'c3'] },
    { id: 'o2', capacity: 1, prefs: ['c1', 'c2'] },
  ],
};

describe('explaining a cycle outcome', () => {
  it('gives every candidate a reason per listed opening, and each opening who ranked it', () => {
    const { assignments } = solve(instance);
    const explained = explainOutcome(instance, assignments);
    expect(explained.candidates.get('c1')).toEqual([
      { openingId: 'o1', reason: 'filled-by-higher-ranked' },
      { openingId: 'o2', reason: 'matched' },
    ]);
    expect(explained.candidates.get('c3')).toEqual([
      { openingId: 'o2', reason: 'not-on-opening-list' },
      { openingId: 'o1', reason: 'filled-by-higher-ranked' },
    ]);
    expect(explained.openings.get('o2')).toEqual([
      { learnerId: 'c1', position: 2, outcome: 'matched-here' },
      { learnerId: 'c2', position: 2, outcome: 'matched-higher-choice' },
      { learnerId: 'c3', position: 1, outcome: 'not-on-opening-list' },
    ]);
  });

  it('says when a regional cap, not the opening, left a seat empty', () => {
    const capped: Instance = { ...instance, regions: [{ id: 'r', openings: ['o1', 'o2'], cap: 1 }] };
    const { assignments } = solve(capped);
    expect(assignments).toHaveLength(1);
    const explained = explainOutcome(capped, assignments);
    const reasons = [...explained.candidates.values()].flat().map((r) => r.reason);
    expect(reasons).toContain('regional-cap');
  });

  it('still explains an outcome the solver would not (it is never left without reasons)', () => {
    // Not stable: c1 and o1 prefer each other to what they have.
    const explained = explainOutcome(instance, [{ candidate: 'c3', opening: 'o1' }]);
    for (const c of instance.candidates) expect(explained.candidates.get(c.id)?.map((r) => r.openingId)).toEqual(c.prefs);
    expect(explained.candidates.get('c3')?.[1]).toEqual({ openingId: 'o1', reason: 'matched' });
  });
});

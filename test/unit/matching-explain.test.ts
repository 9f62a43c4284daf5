import { describe, expect, it } from 'vitest';
import { solve } from '../../shared/matching/deferred-acceptance';
import { explainOutcome } from '../../shared/matching/explain';
import type { Instance } from '../../shared/matching/instance';

// a and b both want o1, which ranks a first; b lands at o3 in region R, whose cap of one
// seat is then reached, so o4 cannot take d although it lists d; o3 does not list d; e
// gets o2, which it ranks above o3.
const instance: Instance = {
  candidates: [
    { id: 'a', prefs: ['o1', 'o2'] },
    { id: 'b', prefs: ['o1', 'o3'] },
    { id: 'c', prefs: ['o2'] },
    { id: 'd', prefs: ['o3', 'o4'] },
    { id: 'e', prefs: ['o2', 'o3'] },
  ],
  openings: [
    { id: 'o1', capacity: 1, prefs: ['a', 'b'] },
    { id: 'o2', capacity: 2, prefs: ['a', 'c', 'e'] },
    { id: 'o3', capacity: 2, prefs: ['b', 'e'] },
    { id: 'o4', capacity: 1, prefs: ['d'] },
  ],
  regions: [{ id: 'R', openings: ['o3', 'o4'], cap: 1 }],
};

describe('explainOutcome', () => {
  const result = solve(instance);
  const explained = explainOutcome(instance, result);

  it('gives every candidate a reason for each opening on their list, in their order', () => {
    expect(result.stable).toBe(true);
    expect(explained.candidates).toEqual([
      {
        candidate: 'a',
        assignedTo: 'o1',
        openings: [
          { opening: 'o1', reason: 'matched' },
          { opening: 'o2', reason: 'matched-higher-choice' },
        ],
      },
      {
        candidate: 'b',
        assignedTo: 'o3',
        openings: [
          { opening: 'o1', reason: 'filled-by-higher-ranked' },
          { opening: 'o3', reason: 'matched' },
        ],
      },
      { candidate: 'c', assignedTo: 'o2', openings: [{ opening: 'o2', reason: 'matched' }] },
      {
        candidate: 'd',
        assignedTo: null,
        openings: [
          { opening: 'o3', reason: 'not-on-opening-list' },
          { opening: 'o4', reason: 'regional-cap' },
        ],
      },
      {
        candidate: 'e',
        assignedTo: 'o2',
        openings: [
          { opening: 'o2', reason: 'matched' },
          { opening: 'o3', reason: 'matched-higher-choice' },
        ],
      },
    ]);
  });

  it('for each opening with seats left, says who listed it, where they went and why', () => {
    expect(explained.unfilledOpenings).toEqual([
      {
        opening: 'o3',
        capacity: 2,
        filled: 1,
        region: 'R',
        applicants: [
          { candidate: 'b', assignedTo: 'o3', reason: 'matched' },
          { candidate: 'd', assignedTo: null, reason: 'not-on-opening-list' },
          { candidate: 'e', assignedTo: 'o2', reason: 'matched-higher-choice' },
        ],
      },
      { opening: 'o4', capacity: 1, filled: 0, region: 'R', applicants: [{ candidate: 'd', assignedTo: null, reason: 'regional-cap' }] },
    ]);
  });

  it('an opening in no region that lists a candidate is never explained by a cap', () => {
    const { regions, ...uncapped } = instance;
    const reasons = explainOutcome(uncapped, solve(uncapped)).candidates.find((c) => c.candidate === 'd')!;
    expect(reasons).toEqual({
      candidate: 'd',
      assignedTo: 'o4',
      openings: [
        { opening: 'o3', reason: 'not-on-opening-list' },
        { opening: 'o4', reason: 'matched' },
      ],
    });
  });

  it('refuses to explain an outcome the rules would not produce', () => {
    // d left out while o4, outside any region, has a free seat and lists d.
    const { regions, ...uncapped } = instance;
    const unstable = { assignments: result.assignments };
    expect(() => explainOutcome(uncapped, unstable)).toThrow(/not a stable result.*o4 has a free seat/);
  });

  it('reads ids only and leaves its inputs alone', () => {
    const before = JSON.stringify([instance, result]);
    explainOutcome(instance, result);
    expect(JSON.stringify([instance, result])).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import { jsonPath, parseInstance } from '../../shared/matching/instance';

const valid = {
  candidates: [
    { id: 'c1', prefs: ['o2', 'o1'] },
    { id: 'c2', prefs: [] },
  ],
  openings: [
    { id: 'o1', capacity: 2, prefs: ['c1', 'c2'] },
    { id: 'o2', capacity: 1, prefs: [] },
  ],
};

/** A deep copy of `valid` with one change, so each case shows exactly what is wrong. */
function variant(change: (copy: any) => void): unknown {
  const copy = structuredClone(valid);
  change(copy);
  return copy;
}

function errorsOf(input: unknown) {
  const result = parseInstance(input);
  if (result.ok) throw new Error('expected the instance to be rejected');
  return result.errors;
}

describe('parseInstance accepts', () => {
  it('a well-formed instance, returned unchanged', () => {
    expect(parseInstance(valid)).toEqual({ ok: true, instance: valid });
  });

  it('an empty instance', () => {
    expect(parseInstance({ candidates: [], openings: [] })).toEqual({ ok: true, instance: { candidates: [], openings: [] } });
  });

  it('one-sided listings and openings that list nobody (they are simply never matched)', () => {
    const input = variant((i) => (i.openings[0].prefs = ['c2']));
    expect(parseInstance(input).ok).toBe(true);
  });
});

describe('parseInstance rejects, saying where and why', () => {
  it('an unknown id in a candidate list', () => {
    expect(errorsOf(variant((i) => (i.candidates[0].prefs = ['o2', 'o9'])))).toEqual([
      { path: '$.candidates[0].prefs[1]', message: '"o9" is not the id of any opening; check the spelling or add that opening' },
    ]);
  });

  it('an unknown id in an opening list', () => {
    expect(errorsOf(variant((i) => (i.openings[1].prefs = ['c7'])))).toEqual([
      { path: '$.openings[1].prefs[0]', message: '"c7" is not the id of any candidate; check the spelling or add that candidate' },
    ]);
  });

  it('a candidate listing another candidate', () => {
    expect(errorsOf(variant((i) => (i.candidates[0].prefs = ['c2'])))).toEqual([
      { path: '$.candidates[0].prefs[0]', message: '"c2" is a candidate; a candidate can only list openings' },
    ]);
  });

  it('duplicate candidate ids and duplicate opening ids', () => {
    const input = variant((i) => {
      i.candidates[1].id = 'c1';
      i.openings[1].id = 'o1';
    });
    expect(errorsOf(input)).toEqual([
      { path: '$.candidates[1].id', message: 'candidate id "c1" is already used by $.candidates[0]; ids must be unique' },
      { path: '$.openings[1].id', message: 'opening id "o1" is already used by $.openings[0]; ids must be unique' },
      // The renamed entries no longer carry their old ids, so references to those ids dangle.
      { path: '$.candidates[0].prefs[0]', message: '"o2" is not the id of any opening; check the spelling or add that opening' },
      { path: '$.openings[0].prefs[1]', message: '"c2" is not the id of any candidate; check the spelling or add that candidate' },
    ]);
  });

  it('an id used for both a candidate and an opening', () => {
    const input = variant((i) => {
      i.openings[1].id = 'c2';
      i.candidates[0].prefs = ['o1'];
    });
    expect(errorsOf(input)).toEqual([
      { path: '$.openings[1].id', message: '"c2" is already the id of $.candidates[1]; a candidate and an opening cannot share an id' },
    ]);
  });

  it('the same entry twice in one list', () => {
    expect(errorsOf(variant((i) => (i.openings[0].prefs = ['c1', 'c2', 'c1'])))).toEqual([
      { path: '$.openings[0].prefs[2]', message: '"c1" is listed twice (first at prefs[0]); list each candidate once' },
    ]);
  });

  it('capacity 0', () => {
    expect(errorsOf(variant((i) => (i.openings[0].capacity = 0)))).toEqual([
      { path: '$.openings[0].capacity', message: 'capacity must be at least 1 (an opening with no seats cannot be matched); got 0' },
    ]);
  });

  it('capacity 1.5, and capacity given as a string', () => {
    const input = variant((i) => {
      i.openings[0].capacity = 1.5;
      i.openings[1].capacity = '2';
    });
    expect(errorsOf(input)).toEqual([
      { path: '$.openings[0].capacity', message: 'capacity must be a whole number of seats, 1 or more; got 1.5' },
      { path: '$.openings[1].capacity', message: 'capacity must be a whole number of seats, 1 or more; got "2"' },
    ]);
  });

  it('missing prefs and missing capacity', () => {
    const input = variant((i) => {
      delete i.candidates[1].prefs;
      delete i.openings[1].capacity;
    });
    expect(errorsOf(input)).toEqual([
      { path: '$.candidates[1].prefs', message: 'missing field "prefs": expected a list of ids, most preferred first (may be empty)' },
      { path: '$.openings[1].capacity', message: 'missing field "capacity": expected a whole number of seats, 1 or more' },
    ]);
  });

  it('wrong types: a number among ids, an empty id, a list given as a string', () => {
    const input = variant((i) => {
      i.candidates[0].prefs = ['o1', 7];
      i.candidates[1].id = '';
      i.openings[1].prefs = 'c1';
    });
    expect(errorsOf(input)).toEqual([
      { path: '$.candidates[0].prefs[1]', message: 'each entry must be an id string; got 7' },
      { path: '$.candidates[1].id', message: 'id must not be empty' },
      { path: '$.openings[1].prefs', message: 'expected a list of ids, most preferred first (may be empty); got "c1"' },
      { path: '$.openings[0].prefs[1]', message: '"c2" is not the id of any candidate; check the spelling or add that candidate' },
    ]);
  });

  it('an unknown field, most likely a misspelling', () => {
    expect(errorsOf(variant((i) => (i.openings[0].capcity = 3)))).toEqual([
      { path: '$.openings[0]', message: 'unknown field "capcity": remove it or check the spelling' },
    ]);
  });

  it('input that is not an instance at all', () => {
    expect(errorsOf(null)).toEqual([{ path: '$', message: 'expected object; got null' }]);
    expect(errorsOf([])).toEqual([{ path: '$', message: 'expected object; got a list' }]);
    expect(errorsOf({ candidates: [] })).toEqual([
      { path: '$.openings', message: 'missing field "openings": expected a list of openings like {"id": "o1", "capacity": 1, "prefs": ["c1"]}' },
    ]);
  });

  it('shape and meaning problems together, in one report', () => {
    const input = variant((i) => {
      i.openings[0].capacity = 0;
      i.candidates[0].prefs = ['o2', 'nope'];
    });
    expect(errorsOf(input).map((e) => e.path)).toEqual(['$.openings[0].capacity', '$.candidates[0].prefs[1]']);
  });
});

describe('jsonPath', () => {
  it('uses dots for plain keys and quoted brackets for anything else', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['openings', 3, 'prefs', 0])).toBe('$.openings[3].prefs[0]');
    expect(jsonPath(['a b', 'x'])).toBe('$["a b"].x');
  });
});

describe('parseInstance with regional caps', () => {
  const openings = [
    { id: 'o1', capacity: 2, prefs: ['c1'] },
    { id: 'o2', capacity: 1, prefs: [] },
    { id: 'o3', capacity: 3, prefs: [] },
  ];
  const withRegions = (regions: unknown) => ({ candidates: [{ id: 'c1', prefs: ['o1'] }], openings, regions });

  it('accepts regions with and without targets and order, and openings in no region', () => {
    const input = withRegions([
      { id: 'tokyo-area', openings: ['o1', 'o2'], cap: 2 },
      { id: 'r2', openings: [], cap: 0 },
    ]);
    expect(parseInstance(input)).toEqual({ ok: true, instance: input });
    const full = withRegions([{ id: 'r', openings: ['o1', 'o2', 'o3'], cap: 3, targets: { o1: 1, o2: 0, o3: 2 }, order: ['o3', 'o1', 'o2'] }]);
    expect(parseInstance(full).ok).toBe(true);
  });

  it('rejects unknown, repeated and doubly-regioned openings, duplicate region ids and bad caps', () => {
    const input = withRegions([
      { id: 'r1', openings: ['o1', 'o9', 'c1', 'o1'], cap: -1 },
      { id: 'r1', openings: ['o1'], cap: 1.5, extra: 1 },
    ]);
    expect(errorsOf(input)).toEqual([
      { path: '$.regions[0].cap', message: 'cap must be 0 or more; got -1' },
      { path: '$.regions[1].cap', message: 'cap must be a whole number of seats, 0 or more; got 1.5' },
      { path: '$.regions[1]', message: 'unknown field "extra": remove it or check the spelling' },
      { path: '$.regions[0].openings[1]', message: '"o9" is not the id of any opening; check the spelling or add that opening' },
      { path: '$.regions[0].openings[2]', message: '"c1" is a candidate; a region can only list openings' },
      { path: '$.regions[0].openings[3]', message: '"o1" is listed twice in this region; list each opening once' },
      { path: '$.regions[1].id', message: 'region id "r1" is already used by $.regions[0]; ids must be unique' },
      { path: '$.regions[1].openings[0]', message: '"o1" is already in region "r1" ($.regions[0]); an opening can be in at most one region' },
    ]);
  });

  it('rejects targets above a capacity or the cap, partial or foreign targets, and an order that is not a permutation', () => {
    const input = withRegions([{ id: 'r1', openings: ['o1', 'o2', 'o3'], cap: 3, targets: { o1: 3, o2: 1, o9: 0 }, order: ['o2', 'o2', 'o4'] }]);
    expect(errorsOf(input)).toEqual([
      { path: '$.regions[0].targets.o1', message: "target 3 is above the opening's capacity 2" },
      { path: '$.regions[0].targets.o9', message: `"o9" is not an opening of this region; targets name the region's openings` },
      { path: '$.regions[0].targets', message: 'give a target for every opening of the region, or none (then they follow the seats); missing "o3"' },
      { path: '$.regions[0].targets', message: "targets add up to 4, above the region's cap 3" },
      { path: '$.regions[0].order[1]', message: '"o2" is listed twice (first at order[0]); list each opening once' },
      { path: '$.regions[0].order[2]', message: `"o4" is not an opening of this region; order lists the region's openings` },
      { path: '$.regions[0].order', message: 'order must list every opening of the region exactly once; missing "o1", "o3"' },
    ]);
    expect(errorsOf(withRegions([{ id: 'r1', openings: ['o1'], cap: 3, targets: { o1: -1 } }]))).toEqual([
      { path: '$.regions[0].targets.o1', message: 'a target must be 0 or more; got -1' },
    ]);
  });

  it('explains a malformed region field by field', () => {
    expect(errorsOf(withRegions([{ openings: 'o1', cap: '3' }]))).toEqual([
      { path: '$.regions[0].id', message: 'missing field "id": expected a non-empty string' },
      { path: '$.regions[0].openings', message: `expected a list of opening ids, the region's openings; got "o1"` },
      { path: '$.regions[0].cap', message: 'cap must be a whole number of seats, 0 or more; got "3"' },
    ]);
    expect(errorsOf(withRegions({}))).toEqual([
      { path: '$.regions', message: 'expected a list of regions like {"id": "tokyo-area", "openings": ["o1"], "cap": 500}; got an object' },
    ]);
  });
});

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

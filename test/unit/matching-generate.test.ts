import { describe, expect, it } from 'vitest';
import { generateInstance, mulberry32, residencySize } from '../../bench/lib/matching-generate';
import type { GeneratorOptions } from '../../bench/lib/matching-generate';
import { parseInstance } from '../../shared/matching/instance';

const options: GeneratorOptions = { candidates: 2000, openings: 100, seats: 1500, minList: 5, maxList: 15, seed: 3 };
const instance = generateInstance(options);

/** Fraction of candidate pairs that two rankings order the same way (0.5 = unrelated). */
function concordance(a: readonly string[], b: readonly string[]): number {
  const rankInB = new Map(b.map((id, r) => [id, r]));
  const common = a.filter((id) => rankInB.has(id));
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < common.length; i++) {
    for (let j = i + 1; j < common.length; j++) {
      pairs++;
      if (rankInB.get(common[i]!)! < rankInB.get(common[j]!)!) agree++;
    }
  }
  return agree / pairs;
}

describe('mulberry32', () => {
  it('is a fixed sequence per seed, in [0, 1)', () => {
    const random = mulberry32(1);
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const other = mulberry32(2);
    expect(other()).not.toBe(0.6270739405881613);
  });
});

describe('generateInstance', () => {
  it('defaults to the size of the US residency match', () => {
    expect(residencySize).toEqual({ candidates: 45_000, openings: 6_400, seats: 41_500, minList: 10, maxList: 30, seed: 1 });
  });

  it('produces a valid instance of the requested size', () => {
    expect(parseInstance(instance).ok).toBe(true);
    expect(instance.candidates).toHaveLength(2000);
    expect(instance.openings).toHaveLength(100);
    for (const c of instance.candidates) {
      expect(c.prefs.length).toBeGreaterThanOrEqual(5);
      expect(c.prefs.length).toBeLessThanOrEqual(15);
    }
  });

  it('splits exactly the requested seats, at least one per opening', () => {
    expect(instance.openings.reduce((sum, o) => sum + o.capacity, 0)).toBe(1500);
    expect(instance.openings.every((o) => Number.isInteger(o.capacity) && o.capacity >= 1)).toBe(true);
    const tight = generateInstance({ ...options, seats: 100 });
    expect(new Set(tight.openings.map((o) => o.capacity))).toEqual(new Set([1]));
  });

  it('has each opening rank exactly the candidates who listed it', () => {
    for (const o of instance.openings) {
      const applicants = instance.candidates.filter((c) => c.prefs.includes(o.id)).map((c) => c.id);
      expect([...o.prefs].sort()).toEqual(applicants.sort());
    }
  });

  it('makes some openings far more popular than the typical one', () => {
    const applicants = instance.openings.map((o) => o.prefs.length).sort((a, b) => a - b);
    const median = applicants[applicants.length / 2]!;
    expect(applicants.at(-1)!).toBeGreaterThan(10 * median);
  });

  it('has openings broadly agree on candidates (correlated, not identical)', () => {
    const [first, second] = [...instance.openings].sort((a, b) => b.prefs.length - a.prefs.length);
    const agreement = concordance(first!.prefs, second!.prefs);
    expect(agreement).toBeGreaterThan(0.6);
    expect(agreement).toBeLessThan(0.9);
  });

  it('is deterministic per seed', () => {
    expect(JSON.stringify(generateInstance(options))).toBe(JSON.stringify(instance));
    expect(JSON.stringify(generateInstance({ ...options, seed: 4 }))).not.toBe(JSON.stringify(instance));
  });

  it('caps list lengths at the number of openings', () => {
    const crowded = generateInstance({ candidates: 20, openings: 3, seats: 3, minList: 10, maxList: 30, seed: 9 });
    for (const c of crowded.candidates) expect([...c.prefs].sort()).toEqual(['o1', 'o2', 'o3']);
  });

  it('refuses options that cannot be met', () => {
    expect(() => generateInstance({ ...options, seats: 99 })).toThrow('seats (99) must be at least openings (100)');
    expect(() => generateInstance({ ...options, minList: 20 })).toThrow('minList (20) must not exceed maxList (15)');
    expect(() => generateInstance({ ...options, candidates: 1.5 })).toThrow('candidates must be a whole number ≥ 0, got 1.5');
  });
});

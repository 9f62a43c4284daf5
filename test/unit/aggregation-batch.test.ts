import { describe, expect, it } from 'vitest';
import { fitInBatch } from '../../shared/progress/aggregator';

/** A learner's records: one carries the pending mark they share, the others none. */
const learner = (id: string, records: number) =>
  Array.from({ length: records }, (_, i) => ({ pk: `LEARNER#${id}`, sk: `COMPLETION#${i}`, ...(i === records - 1 ? { pendingSince: 'x' } : {}) }));

describe('what fits in one batch', () => {
  it('takes whole learners while they fit', () => {
    expect(fitInBatch([learner('a', 3), learner('b', 4)], 10)).toHaveLength(7);
    expect(fitInBatch([learner('a', 3), learner('b', 4), learner('c', 5)], 10).map((r) => r.pk)).toEqual([
      ...Array(3).fill('LEARNER#a'),
      ...Array(4).fill('LEARNER#b'),
      ...Array(3).fill('LEARNER#c'),
    ]);
  });

  it("never takes a learner's mark while leaving some of their records for a later batch", () => {
    const cut = fitInBatch([learner('a', 3), learner('c', 9)], 10);
    expect(cut.filter((r) => r.pk === 'LEARNER#c')).toHaveLength(7);
    expect(cut.some((r) => 'pendingSince' in r && r.pk === 'LEARNER#c')).toBe(false);
    // One learner alone over the limit: its unmarked records first, the mark stays for the rest.
    const alone = fitInBatch([learner('d', 25)], 10);
    expect(alone).toHaveLength(10);
    expect(alone.some((r) => 'pendingSince' in r)).toBe(false);
  });
});

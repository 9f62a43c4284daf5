import {
  holdAllRunners,
  overwriteAggregate,
  pendingRecordKeys,
  readAggregateParts,
  releaseRunners,
  scanAggregateIds,
  scanSourceRecords,
} from '../data/aggregation';
import { factsOf, withRunnersPaused } from './aggregator';
import { aggregateAndPart, contributionOf, partsOf, sum, type Contribution } from './contribution';

export interface Difference {
  aggregate: string;
  /** The stored part of the aggregate the cell is in (shared/progress/contribution.ts partsOf). */
  part: string;
  cell: string;
  recounted: number;
  running: number;
}

/**
 * Recomputes every aggregate, part by part, from the source records and compares it with
 * the running aggregates. Run after the aggregation has caught up (nothing pending): then
 * the two must be equal, cell by cell.
 */
export async function recount(): Promise<{ records: number; recounted: Contribution; differences: Difference[] }> {
  const { records, recounted, differences } = await recountParts();
  return { records, recounted, differences };
}

type Parts = Map<string, Map<string, Record<string, number>>>;

async function recountParts(): Promise<{ records: number; recounted: Contribution; expectedParts: Parts; differences: Difference[] }> {
  const physical: Contribution = {};
  const recounted: Contribution = {};
  let records = 0;
  for await (const page of scanSourceRecords()) {
    for (const record of page) {
      const facts = factsOf(record);
      if (!facts) continue;
      records++;
      const contribution = contributionOf(facts);
      sum(recounted, contribution);
      sum(physical, partsOf(contribution));
    }
  }
  const expectedParts: Parts = new Map();
  for (const [key, cells] of Object.entries(physical)) {
    const { aggregate, part } = aggregateAndPart(key);
    if (!expectedParts.has(aggregate)) expectedParts.set(aggregate, new Map());
    expectedParts.get(aggregate)!.set(part, cells);
  }
  const ids = [...new Set([...expectedParts.keys(), ...(await scanAggregateIds())])].sort();
  const running = await readAggregateParts(ids, { consistent: true });
  const differences: Difference[] = [];
  for (const aggregate of ids) {
    const expected = expectedParts.get(aggregate) ?? new Map();
    const actual = running.get(aggregate) ?? new Map();
    for (const part of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
      const want = expected.get(part) ?? {};
      const have = actual.get(part) ?? {};
      for (const cell of [...new Set([...Object.keys(want), ...Object.keys(have)])].sort()) {
        const a = want[cell] ?? 0;
        const b = have[cell] ?? 0;
        if (a !== b) differences.push({ aggregate, part, cell, recounted: a, running: b });
      }
    }
  }
  return { records, recounted, expectedParts, differences };
}

/**
 * Makes the running aggregates equal to a fresh recount, holding every runner's lease so
 * no batch runs meanwhile. Refuses while anything is pending: catch up first.
 */
export async function repair(): Promise<{ repaired: number; differences: Difference[] }> {
  return withRunnersPaused(async (owner) => {
    if (!(await holdAllRunners(owner, Date.now(), 120_000))) throw new Error('the aggregation is running: try again in a minute');
    try {
      if ((await pendingRecordKeys(1)).length > 0) throw new Error('records are still pending: let the aggregation catch up first');
      const { expectedParts, differences } = await recountParts();
      const touched = [...new Set(differences.map((d) => d.aggregate))];
      for (const aggregate of touched) await overwriteAggregate(aggregate, expectedParts.get(aggregate) ?? new Map());
      return { repaired: touched.length, differences };
    } finally {
      await releaseRunners(owner);
    }
  });
}

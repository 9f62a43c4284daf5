import { overwriteAggregate, readAggregates, scanAggregateIds, scanSourceRecords } from '../data/aggregation';
import { factsOf } from './aggregator';
import { contributionOf, sum, type Contribution } from './contribution';

export interface Difference {
  aggregate: string;
  cell: string;
  recounted: number;
  running: number;
}

/**
 * Recomputes every aggregate from the source records and compares it with the running
 * aggregates. Run after the aggregation has caught up (nothing pending): then the two
 * must be equal, cell by cell.
 */
export async function recount(): Promise<{ records: number; recounted: Contribution; differences: Difference[] }> {
  const recounted: Contribution = {};
  let records = 0;
  for await (const page of scanSourceRecords()) {
    for (const record of page) {
      const facts = factsOf(record);
      if (!facts) continue;
      records++;
      sum(recounted, contributionOf(facts));
    }
  }
  const ids = [...new Set([...Object.keys(recounted), ...(await scanAggregateIds())])].sort();
  const running = await readAggregates(ids);
  const differences: Difference[] = [];
  for (const aggregate of ids) {
    const expected = recounted[aggregate] ?? {};
    const actual = running.get(aggregate) ?? {};
    for (const cell of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      const a = expected[cell] ?? 0;
      const b = actual[cell] ?? 0;
      if (a !== b) differences.push({ aggregate, cell, recounted: a, running: b });
    }
  }
  return { records, recounted, differences };
}

/** Makes the running aggregates equal to the recount. Only while nothing is pending. */
export async function repair(recounted: Contribution, differences: Difference[]): Promise<number> {
  const touched = [...new Set(differences.map((d) => d.aggregate))];
  for (const aggregate of touched) await overwriteAggregate(aggregate, recounted[aggregate] ?? {});
  return touched.length;
}

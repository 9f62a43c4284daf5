import { randomUUID } from 'node:crypto';
import { acquireLease, overwriteAggregate, pendingRecordKeys, readAggregates, releaseLease, scanAggregateIds, scanSourceRecords } from '../data/aggregation';
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

/**
 * Makes the running aggregates equal to a fresh recount, holding the aggregation lease so
 * no batch runs meanwhile. Refuses while anything is pending: catch up first.
 */
export async function repair(): Promise<{ repaired: number; differences: Difference[] }> {
  const owner = `repair-${randomUUID()}`;
  const state = await acquireLease(owner, Date.now(), 120_000);
  if (!state) throw new Error('the aggregation is running: try again in a minute');
  try {
    if (state.openBatch || (await pendingRecordKeys(1)).length > 0) throw new Error('records are still pending: let the aggregation catch up first');
    const { recounted, differences } = await recount();
    const touched = [...new Set(differences.map((d) => d.aggregate))];
    for (const aggregate of touched) await overwriteAggregate(aggregate, recounted[aggregate] ?? {});
    return { repaired: touched.length, differences };
  } finally {
    await releaseLease(owner);
  }
}

import {
  holdAllRunners,
  markUncountedPending,
  overwriteAggregate,
  pendingRecordKeys,
  pendingSinceOf,
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

function byAggregate(physical: Contribution): Parts {
  const parts: Parts = new Map();
  for (const [key, cells] of Object.entries(physical)) {
    const { aggregate, part } = aggregateAndPart(key);
    if (!parts.has(aggregate)) parts.set(aggregate, new Map());
    parts.get(aggregate)!.set(part, cells);
  }
  return parts;
}

interface Recounted {
  records: number;
  recounted: Contribution;
  /** Every part from the records' current facts (what the aggregates equal once nothing is pending). */
  expectedParts: Parts;
  /** Every part from what each record is stamped as counted (what the aggregates equal at any time). */
  stampedParts: Parts;
  /** Records whose current version is not counted and that nothing marks pending (left by a fault). */
  unmarkedUncounted: Record<string, unknown>[];
}

async function recountParts(): Promise<Recounted & { differences: Difference[] }> {
  const physical: Contribution = {};
  const stamped: Contribution = {};
  const recounted: Contribution = {};
  const unmarkedUncounted: Record<string, unknown>[] = [];
  let records = 0;
  for await (const page of scanSourceRecords()) {
    for (const record of page) {
      sum(stamped, partsOf((record.counted as Contribution | undefined) ?? {}));
      if (record.countedVersion !== record.version && pendingSinceOf(record) === undefined) unmarkedUncounted.push(record);
      const facts = factsOf(record);
      if (!facts) continue;
      records++;
      const contribution = contributionOf(facts);
      sum(recounted, contribution);
      sum(physical, partsOf(contribution));
    }
  }
  const expectedParts = byAggregate(physical);
  const stampedParts = byAggregate(stamped);
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
  return { records, recounted, expectedParts, stampedParts, unmarkedUncounted, differences };
}

/**
 * Makes the running aggregates equal to a fresh recount, holding every runner's lease so
 * no batch runs meanwhile. Refuses while anything is pending: catch up first.
 */
export async function repair(): Promise<{ repaired: number; differences: Difference[] }> {
  return withRunnersPaused(async (owner) => {
    // Long enough for a scan of every record; released at the end.
    if (!(await holdAllRunners(owner, Date.now(), 15 * 60_000))) throw new Error('the aggregation is running: try again in a minute');
    try {
      if ((await pendingRecordKeys(1)).length > 0) throw new Error('records are still pending: let the aggregation catch up first');
      const { stampedParts, unmarkedUncounted, differences } = await recountParts();
      // The aggregates are made what the records are stamped as counted (the invariant the
      // aggregation keeps), and a record counted by nothing is marked pending again: the
      // aggregation then counts it once, whatever was written meanwhile.
      const ids = [...new Set([...stampedParts.keys(), ...(await scanAggregateIds())])];
      const running = await readAggregateParts(ids, { consistent: true });
      const touched = ids.filter((id) => !sameParts(stampedParts.get(id), running.get(id)));
      for (const aggregate of touched) await overwriteAggregate(aggregate, stampedParts.get(aggregate) ?? new Map());
      for (const record of unmarkedUncounted) await markUncountedPending(record, new Date().toISOString());
      return { repaired: touched.length, differences };
    } finally {
      await releaseRunners(owner);
    }
  });
}

function sameParts(a: Map<string, Record<string, number>> | undefined, b: Map<string, Record<string, number>> | undefined): boolean {
  const cells = (parts: Map<string, Record<string, number>> | undefined) =>
    new Map(
      [...(parts ?? new Map()).entries()].flatMap(([part, c]) =>
        Object.entries(c)
          .filter(([, n]) => n !== 0)
          .map(([cell, n]) => [`${part}|${cell}`, n]),
      ),
    );
  const [x, y] = [cells(a), cells(b)];
  return x.size === y.size && [...x].every(([key, n]) => y.get(key) === n);
}

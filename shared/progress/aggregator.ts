import { randomUUID } from 'node:crypto';
import {
  acquireLease,
  applyChunk,
  closeBatch,
  deleteManifest,
  getManifest,
  markCounted,
  openBatch,
  pendingBacklog,
  pendingRecordKeys,
  getAggregationState,
  putManifest,
  readRecords,
  recordKeyOf,
  releaseLease,
  sourceEntityOf,
  type Manifest,
  type ManifestEntry,
} from '../data/aggregation';
import { forEachConcurrently } from '../concurrency';
import { refreshLearner } from '../domain/derivation';
import { contributionOf, difference, sum, type Contribution, type SourceFacts } from './contribution';

/**
 * Exact progress aggregates with single-item conditional writes only (no transactions,
 * no Streams). Source records (completions, qualifications) carry a version and, while
 * their effect is not yet counted, a mark in the sparse "pending" index.
 *
 * One runner at a time holds a lease. It takes a batch of pending records, snapshots them,
 * and writes a manifest: for each record the contribution already counted (`from`) and
 * the one it should have now (`to`). It commits the manifest with the next sequence
 * number, adds the differences to the aggregate items (each chunk conditional on its
 * marker being older than the batch, so a re-run cannot add twice), then stamps each
 * record with the version counted (leaving it pending if it changed meanwhile). A runner
 * that dies anywhere leaves either an uncommitted manifest (ignored) or a committed one
 * (the next runner finishes it). The aggregates always equal the sum of the counted
 * contributions, and once nothing is pending, a recount from the records.
 */
const BATCH_SIZE = 100;
const CELLS_PER_CHUNK = 40;
// Shorter than the minute between scheduled starts: a runner that died frees the next one in time.
const LEASE_MS = 30_000;
const PARALLEL_WRITES = 16;

/** What a source record counts as, by its entity (and, for a proposal, whether it was accepted). */
export function factsOf(record: Record<string, unknown>): SourceFacts | undefined {
  const entity = sourceEntityOf(record);
  if (entity === 'completion') {
    return {
      kind: 'completion',
      fiscalYear: record.fiscalYear as number,
      prefecture: (record.prefecture as string) ?? '00',
      status: record.status as 'verified',
      completedOn: record.completedOn as string,
    };
  }
  if (entity === 'qualification') {
    return {
      kind: 'qualification',
      ruleVersion: record.ruleVersion as string,
      fiscalYear: record.fiscalYear as number,
      prefecture: record.prefecture as string,
      qualifiedOn: record.qualifiedOn as string,
      clause: record.clause as string,
      types: (record.types as string[]) ?? [],
      roles: (record.roles as string[]) ?? [],
    };
  }
  if (entity === 'proposal' && record.status === 'accepted') {
    return {
      kind: 'placement',
      fiscalYear: record.fiscalYear as number,
      residencePrefecture: record.residencePrefecture as string,
      workplacePrefecture: record.workplacePrefecture as string,
      workStyle: record.workStyle as string,
      acceptedOn: record.acceptedOn as string,
    };
  }
  return undefined;
}

function chunksOf(delta: Contribution): Manifest['chunks'] {
  const chunks: Manifest['chunks'] = [];
  for (const aggregate of Object.keys(delta).sort()) {
    const cells = Object.entries(delta[aggregate]!).sort(([a], [b]) => a.localeCompare(b));
    for (let i = 0; i * CELLS_PER_CHUNK < cells.length; i++) {
      chunks.push({ aggregate, index: i, cells: Object.fromEntries(cells.slice(i * CELLS_PER_CHUNK, (i + 1) * CELLS_PER_CHUNK)) });
    }
  }
  return chunks;
}

/** Test seam: lets a test stop the runner between any two writes, like a crash. */
export type Checkpoint = (step: string) => void | Promise<void>;

async function finish(manifest: Manifest, checkpoint: Checkpoint): Promise<void> {
  // Chunks and records are independent single-item writes, each idempotent: any subset
  // may land before a crash.
  await forEachConcurrently(manifest.chunks, PARALLEL_WRITES, async (chunk) => {
    await applyChunk(chunk.aggregate, chunk.index, manifest.seq, chunk.cells);
    await checkpoint('chunk-applied');
  });
  await forEachConcurrently(manifest.entries, PARALLEL_WRITES, async (entry) => {
    await markCounted(entry);
    await checkpoint('record-marked');
  });
  await closeBatch(manifest.seq);
  await checkpoint('batch-closed');
  await deleteManifest(manifest.seq, manifest.owner);
}

export interface RunResult {
  batches: number;
  records: number;
  learnersRefreshed: number;
  /** False when another runner holds the lease (this one should stop polling). */
  leaseHeld: boolean;
  /** How long the oldest record still pending after this run has waited (0: none). */
  oldestPendingAgeSeconds: number;
}

/**
 * Catches up: runs batches until nothing is pending (or `maxBatches`). Safe to call from
 * any number of processes at once; all but one return at once.
 */
export async function runAggregation(options: { now?: () => Date; maxBatches?: number; checkpoint?: Checkpoint; owner?: string } = {}): Promise<RunResult> {
  const now = options.now ?? (() => new Date());
  const owner = options.owner ?? randomUUID();
  const checkpoint = options.checkpoint ?? (() => undefined);
  const result: RunResult = { batches: 0, records: 0, learnersRefreshed: 0, leaseHeld: false, oldestPendingAgeSeconds: 0 };
  // An idle poll reads and writes nothing: the lease is taken only when there is work.
  const [idle, backlog] = await Promise.all([getAggregationState(), pendingBacklog(1)]);
  if (!idle?.openBatch && backlog.keys.length === 0) return { ...result, leaseHeld: true };
  let state = await acquireLease(owner, now().getTime(), LEASE_MS);
  if (!state) return result;
  result.leaseHeld = true;
  try {
    if (state.openBatch) {
      const open = await getManifest(state.openBatch.seq, state.openBatch.owner);
      if (open) await finish(open, checkpoint);
      else await closeBatch(state.openBatch.seq);
      state = (await acquireLease(owner, now().getTime(), LEASE_MS))!;
    }
    for (let batch = 0; batch < (options.maxBatches ?? Number.POSITIVE_INFINITY); batch++) {
      const keys = await pendingRecordKeys(BATCH_SIZE);
      if (keys.length === 0) break;
      // Snapshot first, derive second: the derivation then reads every change the snapshot
      // holds (and maybe later ones, which keep their records pending for the next batch),
      // so a record is never released with a derivation older than the version counted.
      const records = await readRecords(keys);
      const learners = new Set(records.filter((r) => sourceEntityOf(r) === 'completion').map((r) => r.learnerId as string));
      await forEachConcurrently([...learners], PARALLEL_WRITES, async (learnerId) => {
        await refreshLearner(learnerId, now());
      });
      result.learnersRefreshed += learners.size;
      await checkpoint('refreshed');

      const entries: ManifestEntry[] = [];
      const delta: Contribution = {};
      for (const record of records) {
        if (!sourceEntityOf(record)) {
          // Counting it as nothing would take its earlier contribution away for good: stop instead.
          throw new Error(
            `Pending item ${JSON.stringify(recordKeyOf(record))} is no source record (entity ${String(record.entity)}); the aggregation cannot count it`,
          );
        }
        const facts = factsOf(record);
        // A pending record that counts for nothing is still released, never left pending.
        const to = facts ? contributionOf(facts) : {};
        const from = (record.counted as Contribution | undefined) ?? {};
        entries.push({ key: recordKeyOf(record), version: record.version as number, from, to });
        sum(delta, difference(to, from));
      }
      const seq = state.nextSeq;
      const manifest: Manifest = { seq, owner, entries, chunks: chunksOf(delta) };
      await putManifest(manifest, Math.floor(now().getTime() / 1000) + 7 * 24 * 3600);
      await checkpoint('manifest-written');
      if (!(await openBatch(owner, seq))) break; // lost the lease: the new holder carries on
      await checkpoint('batch-opened');
      await finish(manifest, checkpoint);
      result.batches++;
      result.records += entries.length;
      const renewed = await acquireLease(owner, now().getTime(), LEASE_MS);
      if (!renewed) break;
      state = renewed;
    }
  } finally {
    await releaseLease(owner);
  }
  const { oldestSince } = await pendingBacklog(BATCH_SIZE);
  result.oldestPendingAgeSeconds = oldestSince ? Math.max(0, Math.round((now().getTime() - Date.parse(oldestSince)) / 1000)) : 0;
  return result;
}

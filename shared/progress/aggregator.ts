import { randomUUID } from 'node:crypto';
import {
  aggregationRunners,
  applyChunk,
  getAggregationState,
  markDueAt,
  markCounted,
  openBatch,
  pendingBacklog,
  pendingHoldMs,
  pendingSinceOf,
  readRecords,
  recordKeyOf,
  releaseRunners,
  sourceEntityOf,
  unstampedEntries,
  type AggregationState,
  type Chunk,
  type Manifest,
  type ManifestEntry,
} from '../data/aggregation';
import { completionItemsOfLearner, toCompletion } from '../data/completions';
import { qualificationItemsOfLearner } from '../data/qualifications';
import { forEachConcurrently } from '../concurrency';
import { refreshLearner } from '../domain/derivation';
import { aggregateAndPart, contributionOf, difference, partsOf, sum, type Contribution, type SourceFacts } from './contribution';

/**
 * Exact progress aggregates with single-item conditional writes only (no transactions,
 * no Streams). Source records (completions, qualifications, proposals) carry a version;
 * a record whose effect is not yet counted, or a sibling of its learner's, carries a mark
 * in the sparse "pending" index (shared/data/completions.ts: a learner's burst shares
 * one mark).
 *
 * Runners split the pending shards between them; each has its own lease, sequence and
 * markers. A runner takes the marks that are due, reads each marked learner's uncounted
 * records (its snapshot), derives those learners, and builds a manifest: for each record
 * the contribution it should have now (`to`) and the cells to add (to minus what was
 * counted before, split into the aggregate's parts). Opening the batch commits the
 * manifest and renews the lease in one write to the runner's state item. Then it adds
 * the cells to the parts (each chunk conditional on its marker being older than the batch,
 * so a re-run cannot add twice), and stamps each record with the version counted (marked
 * records last, so a mark outlives every record counted with it). Nothing closes the
 * batch: the next batch's open replaces it, and a runner that did not finish a batch
 * itself first reads whether its records are stamped and finishes it if not. A runner
 * that dies anywhere leaves either nothing committed or a batch the next runner finishes.
 * The aggregates always equal the sum of the counted contributions, and once nothing is
 * pending, a recount from the records.
 */
const MARKS_PER_BATCH = 100;
// The manifest lives in the runner's state item (400 KB at most): a few hundred records.
const MAX_ENTRIES = 400;
// Cells added by one write: keeps each update expression small (a part holds a few dozen cells).
const CELLS_PER_CHUNK = 20;
// Shorter than the minute between scheduled starts: a runner that died frees the next one in time.
const LEASE_MS = 30_000;
const PARALLEL_WRITES = 16;
/** The lease owner of this process's runs (a warm Lambda or the local host): its next run needs no takeover. */
const PROCESS_OWNER = `runner-${randomUUID()}`;

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

function chunksOf(delta: Contribution): Chunk[] {
  const chunks: Chunk[] = [];
  for (const physical of Object.keys(delta).sort()) {
    const { aggregate, part } = aggregateAndPart(physical);
    const cells = Object.entries(delta[physical]!).sort(([a], [b]) => a.localeCompare(b));
    for (let i = 0; i * CELLS_PER_CHUNK < cells.length; i++) {
      chunks.push({ aggregate, part, index: i, cells: Object.fromEntries(cells.slice(i * CELLS_PER_CHUNK, (i + 1) * CELLS_PER_CHUNK)) });
    }
  }
  return chunks;
}

/** Test seam: lets a test stop the runner between any two writes, like a crash. */
export type Checkpoint = (step: string) => void | Promise<void>;

async function finish(runner: number, manifest: Manifest, checkpoint: Checkpoint): Promise<void> {
  // Chunks and records are independent single-item writes, each idempotent: any subset
  // may land before a crash.
  await forEachConcurrently(manifest.chunks, PARALLEL_WRITES, async (chunk) => {
    await applyChunk(runner, chunk, manifest.seq);
    await checkpoint('chunk-applied');
  });
  // Marked records last: while any stays marked, the learner is taken again, and the
  // records counted with it are then found stamped.
  for (const marked of [false, true]) {
    await forEachConcurrently(
      manifest.entries.filter((e) => (e.mark !== undefined) === marked),
      PARALLEL_WRITES,
      async (entry) => {
        await markCounted(entry);
        await checkpoint('record-marked');
      },
    );
  }
  await checkpoint('batch-finished');
}

/** Per runner, the last batch this process knows is finished (no need to read its records again). */
const finishedHere = new Map<number, string>();
const tagOf = (manifest: Manifest) => `${manifest.seq}#${manifest.owner}`;

/**
 * Before a runner builds a batch, its last one must be finished: else a record counted by
 * it but not yet stamped would be counted again. False when that batch's runner still
 * holds its lease (it is finishing it).
 */
async function settle(runner: number, state: AggregationState, owner: string, now: number, checkpoint: Checkpoint): Promise<boolean> {
  const batch = state.batch;
  if (!batch || finishedHere.get(runner) === tagOf(batch)) return true;
  if (state.leaseOwner !== undefined && state.leaseOwner !== owner && state.leaseUntil! >= now) return false;
  if ((await unstampedEntries(batch.entries)).length > 0) await finish(runner, batch, checkpoint);
  finishedHere.set(runner, tagOf(batch));
  return true;
}

/**
 * A source record to count in this batch: its current version is not counted yet (or it
 * is still marked), and it is not holding a mark that is not due yet (records written
 * after this snapshot may rely on that mark: it stays until its own turn).
 */
const needsCounting = (record: Record<string, unknown>, now: Date) => {
  const mark = pendingSinceOf(record);
  if (mark !== undefined && markDueAt(mark) > now.getTime()) return false;
  return mark !== undefined || record.countedVersion !== record.version;
};

/**
 * The records of whole groups (a learner's, a proposal) up to MAX_ENTRIES. A group that
 * does not fit whole gives only its unmarked records: its mark must outlive the records
 * left for the next batch, or they would be uncounted with nothing pending.
 */
export function fitInBatch(groups: Record<string, unknown>[][], maxEntries = MAX_ENTRIES): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const group of groups) {
    if (records.length + group.length <= maxEntries) {
      records.push(...group);
      continue;
    }
    records.push(...group.filter((record) => pendingSinceOf(record) === undefined).slice(0, Math.max(0, maxEntries - records.length)));
    break;
  }
  return records;
}

/**
 * The batch for these due marks: every uncounted record of each marked learner (read
 * before deriving, so the derivation sees every version the batch counts), and each
 * marked proposal.
 */
async function buildBatch(seq: number, owner: string, marks: Record<string, unknown>[], now: Date, checkpoint: Checkpoint) {
  const learners = [...new Set(marks.filter((r) => sourceEntityOf(r) !== 'proposal').map((r) => r.learnerId as string))];
  const proposals = marks.filter((r) => sourceEntityOf(r) === 'proposal');
  const snapshots = new Map<string, Record<string, unknown>[]>();
  await forEachConcurrently(learners, PARALLEL_WRITES, async (learnerId) => {
    const [completions, qualifications] = await Promise.all([completionItemsOfLearner(learnerId), qualificationItemsOfLearner(learnerId)]);
    snapshots.set(
      learnerId,
      [...completions, ...qualifications].filter((record) => needsCounting(record, now)),
    );
    // Derived from the very completions the batch counts: one read of them, not two.
    await refreshLearner(learnerId, now, { completions: completions.map(toCompletion) });
  });
  await checkpoint('refreshed');

  const records = fitInBatch([...proposals.map((p) => [p]), ...learners.map((l) => snapshots.get(l)!)]);
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
    const mark = pendingSinceOf(record);
    entries.push({ key: recordKeyOf(record), version: record.version as number, to, ...(mark ? { mark } : {}) });
    sum(delta, difference(partsOf(to), partsOf(from)));
  }
  const manifest: Manifest = { seq, owner, entries, chunks: chunksOf(delta) };
  return { manifest, learnersRefreshed: learners.length };
}

export interface RunResult {
  batches: number;
  records: number;
  learnersRefreshed: number;
  /** False when other runners hold every lease this run needed (the caller should stop polling). */
  leaseHeld: boolean;
  /** How long the oldest record still pending after this run has waited (0: none). */
  oldestPendingAgeSeconds: number;
}

export interface RunOptions {
  now?: () => Date;
  maxBatches?: number;
  checkpoint?: Checkpoint;
  /** Who runs (tests simulate other processes with their own); this process's runner by default. */
  owner?: string;
  /** Epoch ms: no batch is started after it (an invocation stops well inside its timeout). */
  deadline?: number;
  /** How many runners split the shards (KANRYU_AGGREGATION_RUNNERS by default; the drain benchmark compares counts). */
  runners?: number;
}

async function runRunner(runner: number, options: RunOptions): Promise<RunResult> {
  const now = options.now ?? (() => new Date());
  const owner = options.owner ?? PROCESS_OWNER;
  const checkpoint = options.checkpoint ?? (() => undefined);
  const result: RunResult = { batches: 0, records: 0, learnersRefreshed: 0, leaseHeld: false, oldestPendingAgeSeconds: 0 };
  // A mark is due once it has waited the hold (the learner's burst that shares it has landed).
  const runners = options.runners ?? aggregationRunners();
  const due = () => ({ runner, runners, before: new Date(now().getTime() - pendingHoldMs()).toISOString() });
  let [state, backlog] = await Promise.all([getAggregationState(runner), pendingBacklog(1, due())]);
  // An idle poll reads and writes nothing.
  const knownFinished = !state.batch || finishedHere.get(runner) === tagOf(state.batch);
  if (knownFinished && backlog.keys.length === 0) return { ...result, leaseHeld: true };
  try {
    if (!(await settle(runner, state, owner, now().getTime(), checkpoint))) return result;
    result.leaseHeld = true;
    for (let batch = 0; batch < (options.maxBatches ?? Number.POSITIVE_INFINITY); batch++) {
      if (options.deadline !== undefined && Date.now() >= options.deadline) break;
      const marks = await readRecords((await pendingBacklog(MARKS_PER_BATCH, due())).keys);
      if (marks.length === 0) break;
      const { manifest, learnersRefreshed } = await buildBatch(state.nextSeq, owner, marks, now(), checkpoint);
      result.learnersRefreshed += learnersRefreshed;
      if (!(await openBatch(runner, manifest, now().getTime(), LEASE_MS))) break; // another runner took over: it carries on
      await checkpoint('batch-opened');
      await finish(runner, manifest, checkpoint);
      finishedHere.set(runner, tagOf(manifest));
      state = { nextSeq: manifest.seq + 1, batch: manifest };
      result.batches++;
      result.records += manifest.entries.length;
    }
  } catch (error) {
    // A run that fails hands its lease back at once (a run that ends well keeps it: its
    // process's next run goes on without a write).
    await releaseRunners(owner, [runner]).catch(() => undefined);
    throw error;
  }
  backlog = await pendingBacklog(MARKS_PER_BATCH, { runner, runners });
  result.oldestPendingAgeSeconds = backlog.oldestSince ? Math.max(0, Math.round((now().getTime() - Date.parse(backlog.oldestSince)) / 1000)) : 0;
  return result;
}

/**
 * Catches up: every runner runs its batches until nothing due is pending (or
 * `maxBatches`, or the deadline). Safe to call from any number of processes at once: per
 * runner, one holds the lease and the others return at once.
 */
export async function runAggregation(options: RunOptions = {}): Promise<RunResult> {
  if (paused) return { batches: 0, records: 0, learnersRefreshed: 0, leaseHeld: false, oldestPendingAgeSeconds: 0 };
  inFlight++;
  const results = await Promise.all(Array.from({ length: options.runners ?? aggregationRunners() }, (_, runner) => runRunner(runner, options))).finally(() => {
    inFlight--;
  });
  return {
    batches: results.reduce((n, r) => n + r.batches, 0),
    records: results.reduce((n, r) => n + r.records, 0),
    learnersRefreshed: results.reduce((n, r) => n + r.learnersRefreshed, 0),
    leaseHeld: results.some((r) => r.leaseHeld),
    oldestPendingAgeSeconds: Math.max(...results.map((r) => r.oldestPendingAgeSeconds)),
  };
}

let inFlight = 0;
let paused = false;

/**
 * Runs `work` (the repair) with this process's runs paused, as the lease owner it may use:
 * this process's own when none of its runs is in flight (the leases it last renewed are
 * then idle), another one otherwise (then live leases make the work wait its turn).
 */
export async function withRunnersPaused<T>(work: (owner: string) => Promise<T>): Promise<T> {
  const owner = inFlight === 0 ? PROCESS_OWNER : `repair-${randomUUID()}`;
  paused = true;
  try {
    return await work(owner);
  } finally {
    paused = false;
  }
}

import { randomBytes } from 'node:crypto';
import { actsFor, isAdmin } from '../access';
import { forEachConcurrently } from '../concurrency';
import { loadImportConfig } from '../config';
import {
  claimImportChunk,
  deleteImportChunk,
  getImportJob,
  type ImportJob,
  importChunksLeft,
  markImportFinished,
  putImportChunk,
  putImportJob,
  recordImportChunk,
  releaseImportChunk,
} from '../data/imports';
import { notFound } from '../errors';
import type { Actor } from '../identity';
import { jobs } from '../jobs';
import { logger } from '../log';
import { sendToQueue } from '../queues';
import { type ImportResult, type ImportRow, importParsed, parseCompletionCsv, storeImportRows } from './completion-import';

/**
 * Bulk imports too large to store within one request (API Gateway gives an integration
 * 30 s): the file is checked and split in the request, answered 202 with a job, and its
 * chunks are stored by the import workers (shared/jobs.ts: a few at a time, whatever the
 * number of uploads) with the same per-row checks and store as a small file.
 */
export const IMPORT_CHUNK_ROWS = 250;
/** Well under DynamoDB's 400 KB item limit, whatever the rows hold (a URL may be 2 KB). */
const CHUNK_MAX_BYTES = 300_000;
/** The job lists this many rejected rows at most (rejectedCount has them all); keeps the job item small. */
export const REJECTED_LISTED = 1000;

let config: ReturnType<typeof loadImportConfig> | undefined;
const importConfig = () => (config ??= loadImportConfig(process.env));

export interface ImportView {
  importId: string;
  providerId: string;
  rows: number;
  done: number;
  stored: number;
  verified: number;
  unchanged: number;
  rejectedCount: number;
  rejected: { row: number; reason: string }[];
  finished: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export const importView = (job: ImportJob): ImportView => ({
  importId: job.importId,
  providerId: job.owner.org!,
  rows: job.rows,
  done: job.done,
  stored: job.stored,
  verified: job.verified,
  unchanged: job.unchanged,
  rejectedCount: job.rejectedCount,
  rejected: [...job.rejected].sort((a, b) => a.row - b.row),
  finished: job.finishedAt !== undefined,
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
  ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
});

/** Chunks of at most IMPORT_CHUNK_ROWS rows and CHUNK_MAX_BYTES of JSON each. */
function chunksOf(rows: readonly ImportRow[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const size = Buffer.byteLength(json) + 1;
    if (current.length === IMPORT_CHUNK_ROWS || (current.length > 0 && bytes + size > CHUNK_MAX_BYTES)) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      bytes = 0;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}

export type UploadOutcome = { queued: false; result: ImportResult } | { queued: true; job: ImportView };

/**
 * A provider's CSV: up to the threshold stored now (the answer lists every row's fate);
 * above it, checked and split now, queued, and answered with the job before any row is
 * stored.
 */
export async function uploadCompletions(actor: Actor, bytes: Uint8Array, now: Date, charset?: string): Promise<UploadOutcome> {
  const parsed = parseCompletionCsv(bytes, charset);
  if (parsed.rows <= importConfig().queueAboveRows) return { queued: false, result: await importParsed(actor, parsed, now) };

  const importId = `imp_${randomBytes(10).toString('hex')}`;
  const at = now.toISOString();
  const chunks = chunksOf(parsed.candidates);
  // The chunks first: a worker never meets a job whose rows are not all there.
  await forEachConcurrently(
    chunks.map((rowsJson, chunk) => ({ rowsJson, chunk })),
    8,
    ({ rowsJson, chunk }) => putImportChunk(importId, chunk, rowsJson, at),
  );
  const rejected = [...parsed.rejected].sort((a, b) => a.row - b.row);
  const job: ImportJob = {
    importId,
    owner: { sub: actor.sub, role: actor.role, ...(actor.org ? { org: actor.org } : {}) },
    rows: parsed.rows,
    chunks: chunks.length,
    chunksDone: [],
    done: rejected.length,
    stored: 0,
    verified: 0,
    unchanged: 0,
    rejectedCount: rejected.length,
    rejected: rejected.slice(0, REJECTED_LISTED),
    createdAt: at,
    updatedAt: at,
    ...(chunks.length === 0 ? { finishedAt: at } : {}),
    version: 1,
  };
  await putImportJob(job);
  await sendToQueue(
    'imports',
    chunks.map((_, chunk) => JSON.stringify({ importId, chunk })),
  );
  logger.info('import queued', { importId, rows: job.rows, chunks: job.chunks });
  return { queued: true, job: importView(job) };
}

/** The job, for the provider that uploaded it and for admin; anyone else learns nothing, not even that it exists. */
export async function getImport(actor: Actor, importId: string): Promise<ImportView> {
  const job = await getImportJob(importId);
  const mayRead = job && (isAdmin(actor) || actsFor(actor, { org: job.owner.org ?? '', kind: 'provider' }));
  if (!job || !mayRead) throw notFound(`No import ${importId}.`);
  return importView(job);
}

export interface ChunkMessage {
  importId: string;
  chunk: number;
}

export function parseChunkMessage(body: string): ChunkMessage | undefined {
  try {
    const message = JSON.parse(body) as Partial<ChunkMessage>;
    if (typeof message.importId === 'string' && /^imp_[a-f0-9]{20}$/.test(message.importId) && Number.isInteger(message.chunk) && message.chunk! >= 0) {
      return { importId: message.importId, chunk: message.chunk! };
    }
  } catch {
    // Not JSON: the same answer as any other malformed message.
  }
  return undefined;
}

/** The lease on a chunk: as long as a worker may run, so a dead worker's chunk is free again by its redelivery. */
const LEASE_SECONDS = jobs.importWorker.lambda.timeoutSeconds;
const MAX_COUNT_ATTEMPTS = 20;

/**
 * One chunk, as the worker gets it from the queue. 'done' whenever the chunk needs nothing
 * more (stored and counted now or before, or gone with its job); 'retry' while another
 * delivery of the same chunk holds it.
 */
export async function processImportChunk(message: ChunkMessage, now: Date): Promise<'done' | 'retry'> {
  const { importId, chunk } = message;
  const job = await getImportJob(importId);
  if (!job || chunk >= job.chunks) {
    logger.warn('import chunk of no known job', { importId, chunk });
    return 'done';
  }
  if (job.chunksDone.includes(chunk)) {
    // Counted before, perhaps by a worker that died before it removed the chunk or finished the job.
    await deleteImportChunk(importId, chunk);
    await finishIfComplete(importId);
    return 'done';
  }
  const claimant = randomBytes(8).toString('hex');
  const claim = await claimImportChunk(importId, chunk, claimant, now, LEASE_SECONDS);
  if (claim.state === 'busy') return 'retry';
  if (claim.state === 'missing') {
    // Counted and deleted between our read and the claim: at most the finish is left.
    await finishIfComplete(importId);
    return 'done';
  }
  try {
    const rows = JSON.parse(claim.rowsJson) as ImportRow[];
    const outcome = await storeImportRows(job.owner, rows, now);
    await countChunk(importId, chunk, { rows: rows.length, ...outcome }, new Date());
  } catch (error) {
    await releaseImportChunk(importId, chunk, claimant).catch(() => undefined);
    throw error;
  }
  await deleteImportChunk(importId, chunk);
  await finishIfComplete(importId);
  return 'done';
}

/**
 * Finished: every chunk counted and deleted. Whichever worker deletes the last chunk sees
 * it (one that dies before leaves its message to the queue, whose redelivery does).
 */
async function finishIfComplete(importId: string): Promise<void> {
  const job = await getImportJob(importId);
  if (!job || job.finishedAt || job.chunksDone.length < job.chunks || (await importChunksLeft(importId))) return;
  await markImportFinished(importId, new Date().toISOString());
  logger.info('import finished', { importId, rows: job.rows });
}

/** Adds a chunk's outcome to the job once, however many workers count chunks of it at the same time. */
async function countChunk(importId: string, chunk: number, outcome: Omit<ImportResult, 'rows'> & { rows: number }, at: Date): Promise<void> {
  for (let attempt = 0; attempt < MAX_COUNT_ATTEMPTS; attempt++) {
    const job = await getImportJob(importId);
    if (!job || job.chunksDone.includes(chunk)) return;
    const room = Math.max(0, REJECTED_LISTED - job.rejected.length);
    const counted = await recordImportChunk(
      importId,
      chunk,
      job.version,
      {
        rows: outcome.rows,
        stored: outcome.stored,
        verified: outcome.verified,
        unchanged: outcome.unchanged,
        rejectedCount: outcome.rejected.length,
        rejected: outcome.rejected.slice(0, room),
      },
      at.toISOString(),
    );
    if (counted) return;
  }
  throw new Error(`import ${importId}: chunk ${chunk} not counted after ${MAX_COUNT_ATTEMPTS} attempts (the job changed every time)`);
}

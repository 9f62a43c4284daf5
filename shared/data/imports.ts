import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../identity';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';

/**
 * A queued CSV import: one job item with its progress, and the rows still to store in
 * chunk items beside it (one SQS message each). Each chunk is counted on the job exactly
 * once by a conditional write that names the job version read and the chunk's number,
 * so a redelivered or retried chunk never counts twice; a chunk item is deleted once
 * counted (it holds learner ids), and expires anyway. The job is finished once every
 * chunk is counted and gone.
 */
export interface RejectedRow {
  row: number;
  reason: string;
}

export interface ImportJob {
  importId: string;
  /** Who uploaded: the rows are checked and stored as this provider's report. */
  owner: Actor;
  rows: number;
  chunks: number;
  /** Numbers of the chunks counted so far. */
  chunksDone: number[];
  done: number;
  stored: number;
  verified: number;
  unchanged: number;
  rejectedCount: number;
  /** The first rejected rows recorded, up to a cap (rejectedCount says how many there are). */
  rejected: RejectedRow[];
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Bumped on every change: the count of a chunk is conditional on the version it read. */
  version: number;
}

export interface ChunkOutcome {
  rows: number;
  stored: number;
  verified: number;
  unchanged: number;
  rejectedCount: number;
  /** The reasons to list on the job (already cut to the room left). */
  rejected: RejectedRow[];
}

const importJob = {
  entity: 'import-job',
  key: (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'JOB' }),
  chunk: {
    entity: 'import-chunk',
    key: (importId: string, chunk: number) => ({ pk: `IMPORT#${importId}`, sk: `CHUNK#${String(chunk).padStart(5, '0')}` }),
    /** The chunks of an import not yet counted and deleted. */
    ofImport: (importId: string) => partition(primary, `IMPORT#${importId}`, 'CHUNK#'),
  },
};

const JOB_KEEP_SECONDS = 30 * 24 * 3600;
/** A backstop only: a chunk is deleted once counted. Longer than the queue keeps a message. */
const CHUNK_KEEP_SECONDS = 7 * 24 * 3600;

const epochSeconds = (at: string) => Math.floor(Date.parse(at) / 1000);

/** Writes the chunks to store (rows as JSON text, each well under the 400 KB item limit). */
export async function putImportChunk(importId: string, chunk: number, rowsJson: string, createdAt: string): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: itemOf(importJob.chunk.entity, [importJob.chunk.key(importId, chunk)], {
        importId,
        chunk,
        rows: rowsJson,
        expiresAt: epochSeconds(createdAt) + CHUNK_KEEP_SECONDS,
      }),
    }),
  );
}

export async function putImportJob(job: ImportJob): Promise<void> {
  // DynamoDB has no empty sets: chunksDone exists from the first chunk counted on.
  const { chunksDone: _none, ...record } = job;
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: itemOf(importJob.entity, [importJob.key(job.importId)], { ...record, expiresAt: epochSeconds(job.createdAt) + JOB_KEEP_SECONDS }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getImportJob(importId: string): Promise<ImportJob | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: importJob.key(importId), ConsistentRead: true }));
  if (!Item) return undefined;
  const record = recordOf<Omit<ImportJob, 'chunksDone'> & { chunksDone?: Set<number> }>(importJob.entity, Item, ['expiresAt']);
  return { ...record, chunksDone: [...(record.chunksDone ?? [])].sort((a, b) => a - b) };
}

export type ChunkClaim = { state: 'claimed'; rowsJson: string } | { state: 'busy' } | { state: 'missing' };

/**
 * Takes a chunk for `leaseSeconds` (the worker's timeout): a duplicate delivery while it
 * is being stored waits for the queue to deliver it again instead of storing it twice at
 * once; a worker that died leaves a lease that expires.
 */
export async function claimImportChunk(importId: string, chunk: number, claimant: string, now: Date, leaseSeconds: number): Promise<ChunkClaim> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: importJob.chunk.key(importId, chunk),
        UpdateExpression: 'SET claimedBy = :me, claimedUntil = :until',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
        ExpressionAttributeValues: { ':me': claimant, ':until': nowSeconds + leaseSeconds, ':now': nowSeconds },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { state: 'claimed', rowsJson: recordOf<{ rows: string }>(importJob.chunk.entity, Attributes!).rows };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: importJob.chunk.key(importId, chunk), ConsistentRead: true }));
  return Item ? { state: 'busy' } : { state: 'missing' };
}

/** Gives a chunk back after a failure, so the next delivery need not wait for the lease. */
export async function releaseImportChunk(importId: string, chunk: number, claimant: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: importJob.chunk.key(importId, chunk),
        UpdateExpression: 'REMOVE claimedBy, claimedUntil',
        ConditionExpression: 'claimedBy = :me',
        ExpressionAttributeValues: { ':me': claimant },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * Counts a chunk's outcome on the job, once: only if the job is still at the version the
 * caller read and the chunk is not among those counted. False: the job changed meanwhile
 * (read it again and retry) or the chunk was already counted.
 */
export async function recordImportChunk(importId: string, chunk: number, readVersion: number, outcome: ChunkOutcome, at: string): Promise<boolean> {
  const names = {
    '#version': 'version',
    '#done': 'done',
    '#stored': 'stored',
    '#verified': 'verified',
    '#unchanged': 'unchanged',
    '#rejectedCount': 'rejectedCount',
    '#rejected': 'rejected',
    '#chunksDone': 'chunksDone',
    '#updatedAt': 'updatedAt',
  };
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: importJob.key(importId),
        UpdateExpression: [
          'SET #done = #done + :rows, #stored = #stored + :stored, #verified = #verified + :verified, #unchanged = #unchanged + :unchanged,',
          '#rejectedCount = #rejectedCount + :rejectedCount, #rejected = list_append(#rejected, :rejected), #updatedAt = :at, #version = #version + :one',
          'ADD #chunksDone :chunkSet',
        ].join(' '),
        ConditionExpression: '#version = :readVersion AND NOT contains(#chunksDone, :chunk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':rows': outcome.rows,
          ':stored': outcome.stored,
          ':verified': outcome.verified,
          ':unchanged': outcome.unchanged,
          ':rejectedCount': outcome.rejectedCount,
          ':rejected': outcome.rejected,
          ':at': at,
          ':one': 1,
          ':chunkSet': new Set([chunk]),
          ':readVersion': readVersion,
          ':chunk': chunk,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function deleteImportChunk(importId: string, chunk: number): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: importJob.chunk.key(importId, chunk) }));
}

/** Whether any chunk of the import is still stored (consistent: a chunk just deleted is gone). */
export async function importChunksLeft(importId: string): Promise<boolean> {
  const { on, value, sortKeyPrefix } = importJob.chunk.ofImport(importId);
  const { Count } = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': on.partitionKey, '#sk': on.sortKey },
      ExpressionAttributeValues: { ':pk': value, ':prefix': sortKeyPrefix },
      ConsistentRead: true,
      Select: 'COUNT',
      Limit: 1,
    }),
  );
  return (Count ?? 0) > 0;
}

/** Marks the import finished, once (whoever sees it complete first). */
export async function markImportFinished(importId: string, at: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: importJob.key(importId),
        UpdateExpression: 'SET finishedAt = :at, #version = #version + :one',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(finishedAt)',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':at': at, ':one': 1 },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

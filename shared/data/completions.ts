import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { markDueAt, marksIn, pendingHoldMs, pendingMark, pendingMarkUpdate, type SourceEntity } from './aggregation';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { learnerPartition } from './learners';
import { queryAll, queryPage, type Page, type PageRequest } from './query';
import type { CompletionView } from '../schemas/completions';

export type { CompletionStatus } from '../schemas/completions';

/** The stored completion differs from its API view (schemas/completions.ts): it adds these two. */
export type Completion = CompletionView & {
  /** The learner's residence prefecture when the completion was recorded (for progress by prefecture). */
  prefecture: string;
  /** Bumped on every change; the aggregation applies each version's effect exactly once. */
  version: number;
};

/** Public id of a completion: its natural key, so the same facts always name the same record. */
export const completionIdOf = (completedOn: string, courseId: string) => `${completedOn}.${courseId}`;

/**
 * A completion: in its learner's partition, by date; marked pending while the aggregates
 * do not count its current version. No index copy: nothing reads completions by course,
 * and stamping a counted record then rewrites no index item.
 */
const completion = {
  entity: 'completion' satisfies SourceEntity,
  key: (learnerId: string, completedOn: string, courseId: string) => ({ pk: learnerPartition(learnerId), sk: `COMPLETION#${completedOn}#${courseId}` }),
  /** A learner's completions, oldest first. */
  ofLearner: (learnerId: string) => partition(primary, learnerPartition(learnerId), 'COMPLETION#'),
  pendingId: (learnerId: string, completionId: string) => `${learnerId}#${completionId}`,
};

export const toCompletion = (item: Record<string, unknown>) => recordOf<Completion>(completion.entity, item);

function storedItem(c: Completion, marked: boolean) {
  const key = completion.key(c.learnerId, c.completedOn, c.courseId);
  return itemOf(completion.entity, marked ? [key, pendingMark(c.recordedAt, completion.pendingId(c.learnerId, c.completionId), c.learnerId)] : [key], c);
}

// How long before a shared mark falls due a record may still rely on it: covers the write
// itself and the clocks of two machines.
const relyMarginMs = () => pendingHoldMs() / 3;

/**
 * When a mark of this learner's that is not due yet will be taken (epoch ms), if one is:
 * then a new record of theirs needs no mark of its own, as the aggregation will read all
 * their uncounted records when it takes that mark. Looks at their latest records only; not
 * finding one costs an index entry, never a count.
 */
async function sharedMarkOf(learnerId: string, now: number): Promise<number | undefined> {
  if (pendingHoldMs() === 0) return undefined;
  const due = (await marksIn(completion.ofLearner(learnerId))).map(markDueAt).filter((at) => at - relyMarginMs() > now);
  return due.length ? Math.min(...due) : undefined;
}

/**
 * The learner's shared mark, for createCompletion: a report starts the lookup while it
 * reads what its checks need, a round trip saved. Starting it early is safe: a write that
 * lands too close to the mark's turn still marks itself (the check after the put).
 */
export const sharedMarkLookup = (learnerId: string) => sharedMarkOf(learnerId, Date.now());

/**
 * Creates the completion unless (learner, course, date) exists: then returns the existing
 * record and writes nothing. Fifty identical requests at once leave exactly one record.
 * The record is marked pending unless the learner already has a mark that is not due yet
 * (a burst of their completions then shares one index entry); a write that lands too close
 * to that mark's turn marks itself after all.
 */
export async function createCompletion(
  record: Completion,
  sharedMark: Promise<number | undefined> = sharedMarkLookup(record.learnerId),
): Promise<{ created: true } | { created: false; existing: Completion }> {
  const shared = await sharedMark;
  try {
    await db.send(new PutCommand({ TableName: table(), Item: storedItem(record, shared === undefined), ConditionExpression: 'attribute_not_exists(pk)' }));
    if (shared !== undefined && Date.now() >= shared - relyMarginMs() / 2) await markPending(record);
    return { created: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const existing = await getCompletion(record.learnerId, record.completedOn, record.courseId);
  return { created: false, existing: existing! };
}

/** Marks a completion pending that relied on a mark it may have missed. */
async function markPending(c: Completion): Promise<void> {
  const pending = pendingMarkUpdate(new Date().toISOString(), completion.pendingId(c.learnerId, c.completionId), c.learnerId);
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: completion.key(c.learnerId, c.completedOn, c.courseId),
        UpdateExpression: `SET ${pending.set.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(countedVersion)',
        ExpressionAttributeNames: pending.names,
        ExpressionAttributeValues: pending.values,
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function getCompletion(learnerId: string, completedOn: string, courseId: string): Promise<Completion | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: completion.key(learnerId, completedOn, courseId), ConsistentRead: true }));
  return Item ? toCompletion(Item) : undefined;
}

/** Self-reported -> verified, once; returns the updated record, or undefined if it was not self-reported. */
export async function markCompletionVerified(learnerId: string, completedOn: string, courseId: string, now: string): Promise<Completion | undefined> {
  const pending = pendingMarkUpdate(now, completion.pendingId(learnerId, completionIdOf(completedOn, courseId)), learnerId);
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: completion.key(learnerId, completedOn, courseId),
        UpdateExpression: `SET #status = :verified, verifiedAt = :now, reportedBy = :provider, #version = #version + :one, ${pending.set.join(', ')}`,
        ConditionExpression: '#status = :self',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version', ...pending.names },
        ExpressionAttributeValues: {
          ':verified': 'verified',
          ':self': 'self-reported',
          ':provider': 'provider',
          ':now': now,
          ':one': 1,
          ...pending.values,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toCompletion(Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export async function listCompletionsOfLearner<T = Completion>(learnerId: string, request: PageRequest<Completion, T>): Promise<Page<T>> {
  return queryPage({ partition: completion.ofLearner(learnerId), entity: toCompletion, ...request });
}

/** All of one learner's completions, strongly consistent: the input of a derivation. */
export async function allCompletionsOfLearner(learnerId: string): Promise<Completion[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: completion.ofLearner(learnerId), consistent: true });
  return items.map(toCompletion);
}

/** A learner's completions as stored (with the aggregation's bookkeeping), strongly consistent: the aggregation's snapshot. */
export const completionItemsOfLearner = (learnerId: string) =>
  queryAll<Record<string, unknown>>({ partition: completion.ofLearner(learnerId), consistent: true });

/** Erasure: drops the evidence (certificate numbers, URLs); the anonymous count is untouched. */
export async function removeCompletionEvidence(learnerId: string, completedOn: string, courseId: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: completion.key(learnerId, completedOn, courseId),
        UpdateExpression: 'REMOVE evidence',
        // Never create a bare item where a completion is gone.
        ConditionExpression: 'attribute_exists(pk)',
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { pendingMark, pendingMarkUpdate, type SourceEntity } from './aggregation';
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

function storedItem(c: Completion) {
  return itemOf(
    completion.entity,
    [completion.key(c.learnerId, c.completedOn, c.courseId), pendingMark(c.recordedAt, completion.pendingId(c.learnerId, c.completionId), c.learnerId)],
    c,
  );
}

/**
 * Creates the completion unless (learner, course, date) exists: then returns the existing
 * record and writes nothing. Fifty identical requests at once leave exactly one record.
 */
export async function createCompletion(completion: Completion): Promise<{ created: true } | { created: false; existing: Completion }> {
  try {
    await db.send(new PutCommand({ TableName: table(), Item: storedItem(completion), ConditionExpression: 'attribute_not_exists(pk)' }));
    return { created: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const existing = await getCompletion(completion.learnerId, completion.completedOn, completion.courseId);
  return { created: false, existing: existing! };
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

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { keys, pendingMark } from './keys';
import { queryAll, queryPage, type Page, type PageRequest } from './query';
import { recordOf } from './records';

export type CompletionStatus = 'verified' | 'self-reported';

export interface Completion {
  completionId: string;
  learnerId: string;
  courseId: string;
  providerId: string;
  completedOn: string;
  fiscalYear: number;
  /** The learner's residence prefecture when the completion was recorded (for progress by prefecture). */
  prefecture: string;
  status: CompletionStatus;
  reportedBy: 'learner' | 'provider';
  evidence?: { certificateNumber?: string; url?: string };
  recordedAt: string;
  verifiedAt?: string;
  /** Bumped on every change; the aggregation applies each version's effect exactly once. */
  version: number;
}

/** Public id of a completion: its natural key, so the same facts always name the same record. */
export const completionIdOf = (completedOn: string, courseId: string) => `${completedOn}.${courseId}`;

export function parseCompletionId(completionId: string): { completedOn: string; courseId: string } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})\.(crs_[a-z0-9]{20})$/.exec(completionId);
  return match ? { completedOn: match[1]!, courseId: match[2]! } : undefined;
}

export const toCompletion = (item: Record<string, unknown>) => recordOf<Completion>(item);

function storedItem(completion: Completion) {
  return {
    ...keys.completion(completion.learnerId, completion.completedOn, completion.courseId),
    ...keys.completionByCourse(completion.courseId, completion.completedOn, completion.learnerId),
    ...pendingMark(completion.recordedAt, `${completion.learnerId}#${completion.completionId}`),
    ...completion,
  };
}

/**
 * Creates the completion unless (learner, course, date) exists: then returns the existing
 * record and writes nothing. Fifty identical requests at once leave exactly one record.
 */
export async function createCompletion(completion: Completion): Promise<{ created: true } | { created: false; existing: Completion }> {
  try {
    await db.send(new PutCommand({ TableName: table, Item: storedItem(completion), ConditionExpression: 'attribute_not_exists(pk)' }));
    return { created: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const existing = await getCompletion(completion.learnerId, completion.completedOn, completion.courseId);
  return { created: false, existing: existing! };
}

export async function getCompletion(learnerId: string, completedOn: string, courseId: string): Promise<Completion | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.completion(learnerId, completedOn, courseId), ConsistentRead: true }));
  return Item ? toCompletion(Item) : undefined;
}

/** Self-reported -> verified, once; returns the updated record, or undefined if it was not self-reported. */
export async function markCompletionVerified(learnerId: string, completedOn: string, courseId: string, now: string): Promise<Completion | undefined> {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.completion(learnerId, completedOn, courseId),
        UpdateExpression:
          'SET #status = :verified, verifiedAt = :now, reportedBy = :provider, #version = #version + :one, pendingShard = :shard, pendingSince = :since',
        ConditionExpression: '#status = :self',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':verified': 'verified',
          ':self': 'self-reported',
          ':provider': 'provider',
          ':now': now,
          ':one': 1,
          ':shard': pendingMark(now, '').pendingShard,
          ':since': pendingMark(now, `${learnerId}#${completionIdOf(completedOn, courseId)}`).pendingSince,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toCompletion(Attributes!);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

export async function listCompletionsOfLearner<T = Completion>(learnerId: string, request: PageRequest<Completion, T>): Promise<Page<T>> {
  const { pk, skPrefix } = keys.completionsOfLearner(learnerId);
  return queryPage({ partitionKey: 'pk', partitionValue: pk, sortKeyPrefix: skPrefix, entity: toCompletion, ...request });
}

/** All of one learner's completions, strongly consistent: the input of a derivation. */
export async function allCompletionsOfLearner(learnerId: string): Promise<Completion[]> {
  const { pk, skPrefix } = keys.completionsOfLearner(learnerId);
  const items = await queryAll<Record<string, unknown>>({ partitionKey: 'pk', partitionValue: pk, sortKeyPrefix: skPrefix, consistent: true });
  return items.map(toCompletion);
}

/** Erasure: drops the evidence (certificate numbers, URLs); the anonymous count is untouched. */
export async function removeCompletionEvidence(learnerId: string, completedOn: string, courseId: string): Promise<void> {
  await db.send(new UpdateCommand({ TableName: table, Key: keys.completion(learnerId, completedOn, courseId), UpdateExpression: 'REMOVE evidence' }));
}

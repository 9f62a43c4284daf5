import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { keys } from './keys';
import { queryAll } from './query';

/**
 * Idempotency-Key records (IETF draft "The Idempotency-Key HTTP Header Field"): the first
 * request with a key claims it, runs, and stores its answer; a retry gets that answer
 * back; the same key with a different request is refused. A claim left by a crashed run
 * expires after a lease, so a retry can take over.
 */
export interface StoredResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Claim = { state: 'claimed' } | { state: 'replay'; response: StoredResponse } | { state: 'mismatch' } | { state: 'in-progress' };

const LEASE_SECONDS = 30;
const KEEP_SECONDS = 24 * 3600;

export async function claimIdempotencyKey(owner: string, name: string, requestHash: string, now: Date): Promise<Claim> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.idempotency(owner, name),
          requestHash,
          state: 'in-progress',
          leaseUntil: nowSeconds + LEASE_SECONDS,
          expiresAt: nowSeconds + KEEP_SECONDS,
        },
        // New, expired, or an abandoned claim of the same request.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :inProgress AND leaseUntil < :now AND requestHash = :hash)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':inProgress': 'in-progress', ':hash': requestHash },
      }),
    );
    return { state: 'claimed' };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.idempotency(owner, name), ConsistentRead: true }));
  if (!Item) return { state: 'in-progress' };
  if (Item.requestHash !== requestHash) return { state: 'mismatch' };
  if (Item.state === 'done') return { state: 'replay', response: Item.response as StoredResponse };
  return { state: 'in-progress' };
}

/**
 * Stores the answer to a claimed key. An answer holding a learner's data is first made
 * findable from that learner; the store itself needs the claim to still be there, so an
 * erasure that removed it mid-request leaves nothing behind.
 */
export async function storeIdempotentResponse(owner: string, name: string, response: StoredResponse, aboutLearner?: string): Promise<void> {
  if (aboutLearner) {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.idempotentAnswerAbout(aboutLearner, owner, name), owner, name, expiresAt: Math.floor(Date.now() / 1000) + KEEP_SECONDS },
      }),
    );
  }
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.idempotency(owner, name),
        UpdateExpression: 'SET #state = :done, #response = :response REMOVE leaseUntil',
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':response': response, ':inProgress': 'in-progress' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Frees the key after a failure the client may retry (busy, internal): nothing was answered. */
export async function releaseIdempotencyKey(owner: string, name: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table,
        Key: keys.idempotency(owner, name),
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inProgress': 'in-progress' },
      }),
    )
    .catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

/**
 * Erasure: every stored answer to the learner's own account (they hold what the learner
 * sent) and every answer anyone else stored that holds the learner's data.
 */
export async function deleteStoredAnswersOf(learnerOwner: string, learnerId: string): Promise<void> {
  const own = await queryAll<{ pk: string; sk: string }>({ partitionKey: 'pk', partitionValue: keys.idempotencyOf(learnerOwner).pk });
  for (const { pk, sk } of own) await db.send(new DeleteCommand({ TableName: table, Key: { pk, sk } }));
  const about = await queryAll<{ pk: string; sk: string; owner: string; name: string }>({
    partitionKey: 'pk',
    partitionValue: keys.idempotentAnswersAbout(learnerId).pk,
    consistent: true,
  });
  for (const pointer of about) {
    await db.send(new DeleteCommand({ TableName: table, Key: keys.idempotency(pointer.owner, pointer.name) }));
    await db.send(new DeleteCommand({ TableName: table, Key: { pk: pointer.pk, sk: pointer.sk } }));
  }
}

import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf, tableKeyOf } from './entity';
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

/**
 * A stored answer: one partition per caller identity (role, organisation, subject), so
 * nobody else replays its answers. A pointer in the learner's partition of pointers names
 * every stored answer holding their data, whoever stored it: erasure follows these.
 */
const idempotency = {
  entity: 'idempotency-record',
  key: (owner: string, name: string) => ({ pk: `IDEMPOTENCY#${owner}`, sk: name }),
  ofOwner: (owner: string) => partition(primary, `IDEMPOTENCY#${owner}`),
  about: {
    entity: 'idempotency-pointer',
    key: (learnerId: string, owner: string, name: string) => ({ pk: `IDEMPOTENT-ABOUT#${learnerId}`, sk: `${owner}#${name}` }),
    ofLearner: (learnerId: string) => partition(primary, `IDEMPOTENT-ABOUT#${learnerId}`),
  },
};

const LEASE_SECONDS = 30;
const KEEP_SECONDS = 24 * 3600;

export async function claimIdempotencyKey(owner: string, name: string, requestHash: string, now: Date): Promise<Claim> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(idempotency.entity, [idempotency.key(owner, name)], {
          requestHash,
          state: 'in-progress',
          leaseUntil: nowSeconds + LEASE_SECONDS,
          expiresAt: nowSeconds + KEEP_SECONDS,
        }),
        // New, expired, or an abandoned claim of the same request.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :inProgress AND leaseUntil < :now AND requestHash = :hash)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':inProgress': 'in-progress', ':hash': requestHash },
      }),
    );
    return { state: 'claimed' };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: idempotency.key(owner, name), ConsistentRead: true }));
  if (!Item) return { state: 'in-progress' };
  const stored = recordOf<{ requestHash: string; state: string; response?: StoredResponse }>(idempotency.entity, Item);
  if (stored.requestHash !== requestHash) return { state: 'mismatch' };
  if (stored.state === 'done') return { state: 'replay', response: stored.response! };
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
        TableName: table(),
        Item: itemOf(idempotency.about.entity, [idempotency.about.key(aboutLearner, owner, name)], {
          owner,
          name,
          expiresAt: Math.floor(Date.now() / 1000) + KEEP_SECONDS,
        }),
      }),
    );
  }
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: idempotency.key(owner, name),
        UpdateExpression: 'SET #state = :done, #response = :response REMOVE leaseUntil',
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':response': response, ':inProgress': 'in-progress' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Drops one stored answer (an answer about a learner erased while it was being stored). */
export async function forgetStoredAnswer(owner: string, name: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: idempotency.key(owner, name) }));
}

/** Frees the key after a failure the client may retry (busy, internal): nothing was answered. */
export async function releaseIdempotencyKey(owner: string, name: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table(),
        Key: idempotency.key(owner, name),
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inProgress': 'in-progress' },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * Erasure: every stored answer to the learner's own account (they hold what the learner
 * sent) and every answer anyone else stored that holds the learner's data.
 */
export async function deleteStoredAnswersOf(learnerOwner: string, learnerId: string): Promise<void> {
  const own = await queryAll<Record<string, unknown>>({ partition: idempotency.ofOwner(learnerOwner) });
  for (const item of own) await db.send(new DeleteCommand({ TableName: table(), Key: tableKeyOf(item) }));
  const about = await queryAll<Record<string, unknown>>({ partition: idempotency.about.ofLearner(learnerId), consistent: true });
  for (const item of about) {
    const pointer = recordOf<{ owner: string; name: string }>(idempotency.about.entity, item);
    await db.send(new DeleteCommand({ TableName: table(), Key: idempotency.key(pointer.owner, pointer.name) }));
    await db.send(new DeleteCommand({ TableName: table(), Key: idempotency.about.key(learnerId, pointer.owner, pointer.name) }));
  }
}

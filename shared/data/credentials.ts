import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { learnerPartition } from './learners';
import { queryAll } from './query';

/**
 * Open Badges issued to learners, and the Bitstring Status Lists that revoke them.
 *
 * - A credential: one item per (learner, achievement) in the learner's partition. It holds
 *   the signed credential and its place in a status list; no personal data (the subject
 *   is the learner's random account id).
 * - A status list: one item per list, holding how many entries were handed out and the
 *   revoked entries as a number set. Handing out an entry and revoking one are each a
 *   single-item update (ADD), so retries and concurrent callers never share an entry or
 *   lose a revocation.
 * - The open list: which list entries are handed out from now (moved on when full).
 */
export interface IssuedCredential {
  credentialId: string;
  learnerId: string;
  achievement: string;
  statusList: number;
  statusIndex: number;
  issuedAt: string;
  /** The credential in its signed form (compact JWS). Removed on revocation for erasure. */
  jwt?: string;
  revokedAt?: string;
  revokedReason?: string;
}

const credential = {
  entity: 'credential',
  key: (learnerId: string, achievement: string) => ({ pk: learnerPartition(learnerId), sk: `CREDENTIAL#${achievement}` }),
  ofLearner: (learnerId: string) => partition(primary, learnerPartition(learnerId), 'CREDENTIAL#'),
};

const statusList = {
  entity: 'credential-status-list',
  key: (list: number) => ({ pk: `STATUSLIST#${list}`, sk: 'LIST' }),
};

const openList = {
  entity: 'credential-status-open-list',
  key: () => ({ pk: 'STATUSLIST', sk: 'OPEN' }),
};

const toCredential = (item: Record<string, unknown>) => recordOf<IssuedCredential>(credential.entity, item);

export async function getIssuedCredential(learnerId: string, achievement: string): Promise<IssuedCredential | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: credential.key(learnerId, achievement), ConsistentRead: true }));
  return Item ? toCredential(Item) : undefined;
}

export async function credentialsOfLearner(learnerId: string): Promise<IssuedCredential[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: credential.ofLearner(learnerId), consistent: true });
  return items.map(toCredential);
}

/**
 * Stores a newly issued credential unless one for the achievement is held already (a
 * revoked one is replaced). Returns the stored credential, this one or the one that won.
 */
export async function putIssuedCredential(record: IssuedCredential): Promise<{ created: boolean; stored: IssuedCredential }> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(credential.entity, [credential.key(record.learnerId, record.achievement)], record),
        ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(revokedAt)',
      }),
    );
    return { created: true, stored: record };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { created: false, stored: (await getIssuedCredential(record.learnerId, record.achievement)) ?? record };
  }
}

/** Marks the credential revoked; with `dropSigned`, the signed copy goes too (erasure). */
export async function markCredentialRevoked(learnerId: string, achievement: string, reason: string, at: string, dropSigned: boolean): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: credential.key(learnerId, achievement),
        UpdateExpression: `SET revokedAt = if_not_exists(revokedAt, :at), revokedReason = if_not_exists(revokedReason, :reason)${dropSigned ? ' REMOVE jwt' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at, ':reason': reason },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** The list entries are handed out from now. */
async function openListNumber(): Promise<number> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: openList.key(), ConsistentRead: true }));
  return Item ? recordOf<{ list: number }>(openList.entity, Item).list : 1;
}

/**
 * A status list entry of its own for a new credential: one conditional ADD on the open
 * list; a full list moves the open list on (conditionally: one caller moves it).
 */
export async function allocateStatusEntry(listLength: number): Promise<{ list: number; index: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const list = await openListNumber();
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: table(),
          Key: statusList.key(list),
          UpdateExpression: 'ADD allocated :one SET #entity = :entity, listId = :list',
          ConditionExpression: 'attribute_not_exists(allocated) OR allocated < :length',
          ExpressionAttributeNames: { '#entity': 'entity' },
          ExpressionAttributeValues: { ':one': 1, ':length': listLength, ':entity': statusList.entity, ':list': list },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { list, index: (Attributes!.allocated as number) - 1 };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      try {
        await db.send(
          new PutCommand({
            TableName: table(),
            Item: itemOf(openList.entity, [openList.key()], { list: list + 1 }),
            ConditionExpression: 'attribute_not_exists(pk) OR #list = :list',
            ExpressionAttributeNames: { '#list': 'list' },
            ExpressionAttributeValues: { ':list': list },
          }),
        );
      } catch (moved) {
        if (!isConditionFailure(moved)) throw moved;
      }
    }
  }
  throw new Error('could not allocate a status list entry');
}

/** Sets the entry's bit: idempotent (a number set). */
export async function revokeStatusEntry(list: number, index: number): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: statusList.key(list),
      UpdateExpression: 'ADD revoked :index SET #entity = :entity, listId = :list',
      ExpressionAttributeNames: { '#entity': 'entity' },
      ExpressionAttributeValues: { ':index': new Set([index]), ':entity': statusList.entity, ':list': list },
    }),
  );
}

/** A status list as stored: undefined if no entry of it was ever handed out. */
export async function getStatusList(list: number): Promise<{ list: number; allocated: number; revoked: number[] } | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: statusList.key(list), ConsistentRead: true }));
  if (!Item) return undefined;
  const record = recordOf<{ listId: number; allocated?: number; revoked?: Set<number> }>(statusList.entity, Item);
  return { list: record.listId, allocated: record.allocated ?? 0, revoked: [...(record.revoked ?? [])].sort((a, b) => a - b) };
}

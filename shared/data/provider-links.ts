import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { learnerPartition } from './learners';
import { batchGet, queryAll } from './query';

/**
 * A learner's "this provider may report my completions": one item per (learner, provider)
 * in the learner's partition, so the check on a provider's report is one consistent
 * GetItem (a CSV chunk: one BatchGetItem), never a query of an index that could lag a
 * revocation.
 */
export interface ProviderLink {
  learnerId: string;
  providerId: string;
  linkedAt: string;
  /** The account names the provider's learning system knows the learner by (set by the provider). */
  lmsAccounts?: Set<string>;
}

const providerLink = {
  entity: 'provider-link',
  key: (learnerId: string, providerId: string) => ({ pk: learnerPartition(learnerId), sk: `PROVIDER#${providerId}` }),
  /** A learner's links, by provider id. */
  ofLearner: (learnerId: string) => partition(primary, learnerPartition(learnerId), 'PROVIDER#'),
};

/**
 * Which learner an account name of a provider's learning system stands for, as the
 * provider said: one item per (provider, account name), in the provider's own namespace.
 */
const providerAccount = {
  entity: 'provider-account',
  key: (providerId: string, accountName: string) => ({ pk: `PROVIDER#${providerId}#ACCOUNTS`, sk: `ACCOUNT#${accountName}` }),
};

const toLink = (item: Record<string, unknown>) => recordOf<ProviderLink>(providerLink.entity, item);

/**
 * Notes the account name on the learner's link to the provider (so unlinking and erasure
 * find it): false when the learner has not linked the provider. One conditional write.
 */
export async function noteLmsAccount(learnerId: string, providerId: string, accountName: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: providerLink.key(learnerId, providerId),
        UpdateExpression: 'ADD lmsAccounts :name',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':name': new Set([accountName]) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The provider's word: this account name is this learner (a later word replaces it). */
export async function putProviderAccount(providerId: string, accountName: string, learnerId: string): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: itemOf(providerAccount.entity, [providerAccount.key(providerId, accountName)], { providerId, accountName, learnerId }),
    }),
  );
}

/** Removes the account name's mapping if it still stands for this learner. */
export async function deleteProviderAccount(providerId: string, accountName: string, learnerId: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table(),
        Key: providerAccount.key(providerId, accountName),
        ConditionExpression: 'learnerId = :me',
        ExpressionAttributeValues: { ':me': learnerId },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** The learner an account name of the provider's learning system stands for (consistent: a change a moment ago counts). */
export async function learnerOfProviderAccount(providerId: string, accountName: string): Promise<string | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: providerAccount.key(providerId, accountName), ConsistentRead: true }));
  return Item ? recordOf<{ learnerId: string }>(providerAccount.entity, Item).learnerId : undefined;
}

/** Links the provider unless linked already; returns the stored link and whether this call made it (a repeat keeps the first `linkedAt`). */
export async function putProviderLink(link: ProviderLink): Promise<{ created: boolean; link: ProviderLink }> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(providerLink.entity, [providerLink.key(link.learnerId, link.providerId)], link),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, link };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { created: false, link: (await getProviderLink(link.learnerId, link.providerId)) ?? link };
  }
}

/** Removes the link; returns the link removed, or undefined if there was none. */
export async function deleteProviderLink(learnerId: string, providerId: string): Promise<ProviderLink | undefined> {
  const { Attributes } = await db.send(new DeleteCommand({ TableName: table(), Key: providerLink.key(learnerId, providerId), ReturnValues: 'ALL_OLD' }));
  return Attributes ? toLink(Attributes) : undefined;
}

// Consistent reads: a revocation a moment ago must stop the next report.
export async function getProviderLink(learnerId: string, providerId: string): Promise<ProviderLink | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: providerLink.key(learnerId, providerId), ConsistentRead: true }));
  return Item ? toLink(Item) : undefined;
}

/** Which of these learners linked the provider: one consistent batch read (a CSV chunk's rows). */
export async function learnersLinkedTo(providerId: string, learnerIds: readonly string[]): Promise<Set<string>> {
  const items = await batchGet<Record<string, unknown>>(
    [...new Set(learnerIds)].map((learnerId) => providerLink.key(learnerId, providerId)),
    { consistent: true },
  );
  return new Set(items.map((item) => toLink(item).learnerId));
}

/** A learner's links, by provider id (a learner links a handful of providers). */
export async function providerLinksOf(learnerId: string): Promise<ProviderLink[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: providerLink.ofLearner(learnerId), consistent: true });
  return items.map(toLink);
}

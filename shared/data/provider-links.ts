import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
}

const providerLink = {
  entity: 'provider-link',
  key: (learnerId: string, providerId: string) => ({ pk: learnerPartition(learnerId), sk: `PROVIDER#${providerId}` }),
  /** A learner's links, by provider id. */
  ofLearner: (learnerId: string) => partition(primary, learnerPartition(learnerId), 'PROVIDER#'),
};

const toLink = (item: Record<string, unknown>) => recordOf<ProviderLink>(providerLink.entity, item);

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

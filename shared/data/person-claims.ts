import { GetCommand, PutCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { isConditionFailure, itemOf, recordOf } from './entity';
import { learnerPartition } from './learners';
import { batchGet } from './query';

/**
 * A person holds at most one full-time or dispatch placement at a time: one item in the
 * learner's partition, claimed by the accepting proposal with a conditional write before
 * its seat is, and freed by an end date. Side-job and remote placements claim nothing.
 */
export interface PersonClaim {
  learnerId: string;
  proposalId: string;
  openingId: string;
  claimedAt: string;
  /** The placement ended (recorded by the organisation or the center): the person is free again. */
  endedOn?: string;
}

const personClaim = {
  entity: 'person-claim',
  key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'PLACEMENT' }),
};

const claimOf = (item: Record<string, unknown>) => recordOf<PersonClaim>(personClaim.entity, item);

/**
 * Claims the person for this proposal: succeeds when nobody holds them, this proposal
 * already does (a retry), the holder's placement ended, or `replacing` names the holder
 * (a stale claim, checked by the caller) and it still holds them.
 */
export async function claimPerson(claim: Omit<PersonClaim, 'endedOn'>, replacing?: string): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(personClaim.entity, [personClaim.key(claim.learnerId)], claim),
        ConditionExpression: `attribute_not_exists(pk) OR proposalId = :mine OR attribute_exists(endedOn)${replacing ? ' OR proposalId = :stale' : ''}`,
        ExpressionAttributeValues: { ':mine': claim.proposalId, ...(replacing ? { ':stale': replacing } : {}) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Gives the person back when this proposal's seat could not be had (only if it still holds them). */
export async function releasePerson(learnerId: string, proposalId: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table(),
        Key: personClaim.key(learnerId),
        ConditionExpression: 'proposalId = :mine AND attribute_not_exists(endedOn)',
        ExpressionAttributeValues: { ':mine': proposalId },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Records the end of the placement this proposal holds; false when it holds no claim on the person. */
export async function endPersonClaim(learnerId: string, proposalId: string, endedOn: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: personClaim.key(learnerId),
        UpdateExpression: 'SET endedOn = :endedOn',
        ConditionExpression: 'proposalId = :mine',
        ExpressionAttributeValues: { ':mine': proposalId, ':endedOn': endedOn },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getPersonClaim(learnerId: string): Promise<PersonClaim | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: personClaim.key(learnerId), ConsistentRead: true }));
  return Item ? claimOf(Item) : undefined;
}

/** The people among these who hold a placement that has not ended (consistent: one taken a moment ago counts). */
export async function heldPeople(learnerIds: readonly string[]): Promise<Set<string>> {
  const items = await batchGet<Record<string, unknown>>([...new Set(learnerIds)].map(personClaim.key), { consistent: true });
  return new Set(
    items
      .map(claimOf)
      .filter((claim) => !claim.endedOn)
      .map((claim) => claim.learnerId),
  );
}

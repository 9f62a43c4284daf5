import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { keys } from './keys';
import { recordOf } from './records';

export type OrganisationKind = 'employer' | 'municipality';

/**
 * An employer (id = its 13-digit corporate number, 法人番号) or a municipality (id = its
 * 6-digit local government code). The id is also the `org` claim of its accounts.
 */
export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  /** Employer: the prefecture of the head office; municipality: its own prefecture. */
  prefecture: string;
  /** Employer only: 6-digit local government code of the head office's municipality. */
  headOffice?: string;
  registeredAt: string;
  updatedAt: string;
}

const strip = (item: Record<string, unknown> | undefined) => (item ? recordOf<Organisation>(item) : undefined);

export async function getOrganisation(orgId: string): Promise<Organisation | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.organisation(orgId), ConsistentRead: true }));
  return strip(Item);
}

/** Registers an organisation that does not exist yet; false if it already does. */
export async function createOrganisation(organisation: Organisation): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.organisation(organisation.id), ...organisation },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Replaces a registered organisation (the caller keeps its registeredAt). */
export async function replaceOrganisation(organisation: Organisation): Promise<void> {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.organisation(organisation.id), ...organisation } }));
}

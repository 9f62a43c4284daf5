import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { isConditionFailure, itemOf, recordOf } from './entity';
import type { Organisation } from '../schemas/openings';

// The stored organisation is exactly its API view: the shape is declared once, in the schema.
export type { Organisation, OrganisationKind } from '../schemas/openings';

/** An organisation (employer or municipality): one item, by its id. */
const organisation = {
  entity: 'organisation',
  key: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'PROFILE' }),
};

const strip = (item: Record<string, unknown> | undefined) => (item ? recordOf<Organisation>(organisation.entity, item) : undefined);

export async function getOrganisation(orgId: string): Promise<Organisation | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: organisation.key(orgId), ConsistentRead: true }));
  return strip(Item);
}

/** Registers an organisation that does not exist yet; false if it already does. */
export async function createOrganisation(org: Organisation): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(organisation.entity, [organisation.key(org.id)], org),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Replaces a registered organisation (the caller keeps its registeredAt). */
export async function replaceOrganisation(org: Organisation): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(organisation.entity, [organisation.key(org.id)], org) }));
}

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { index, isConditionFailure, itemOf, keyOn, partition, recordOf } from './entity';
import { queryPage, type Page } from './query';

/**
 * The xAPI Learning Record Store's records (shared/domain/xapi-statements.ts):
 *
 * - an LRS client: a key issued to a provider, with the SHA-256 of its secret (never the
 *   secret); read by key on every xAPI request;
 * - an activity: a provider's xAPI activity id registered for one of its courses, by
 *   (provider, digest of the id): activity ids are IRIs of any length;
 * - a statement: by (provider, statement id), so storing one is a conditional put and a
 *   retry finds the first; on gsi1 by provider and stored time, for GET /xapi/statements.
 */
export interface LrsClient {
  key: string;
  providerId: string;
  secretHash: string;
  createdAt: string;
  createdBy: string;
}

export interface RegisteredActivity {
  providerId: string;
  activityId: string;
  courseId: string;
  registeredAt: string;
}

export interface StoredStatement {
  statementId: string;
  providerId: string;
  /** The statement as stored (with stored, authority and version set), canonical JSON. */
  statement: string;
  /** What makes two statements with one id "the same" (shared/domain/xapi-statements.ts). */
  contentDigest: string;
  stored: string;
  /** The completion it made (learner, course, day), if any. */
  completion?: { learnerId: string; courseId: string; completedOn: string };
}

const lrsClient = {
  entity: 'xapi-client',
  key: (key: string) => ({ pk: `XAPICLIENT#${key}`, sk: 'CLIENT' }),
};

const activity = {
  entity: 'xapi-activity',
  key: (providerId: string, activityDigest: string) => ({ pk: `XAPIACTIVITY#${providerId}`, sk: `ACTIVITY#${activityDigest}` }),
};

const statement = {
  entity: 'xapi-statement',
  key: (providerId: string, statementId: string) => ({ pk: `XAPI#${providerId}`, sk: `STATEMENT#${statementId}` }),
  /** gsi1: a provider's statements by stored time. */
  byStored: (providerId: string, stored: string, statementId: string) => keyOn(index('gsi1'), `XAPI#${providerId}`, `STORED#${stored}#${statementId}`),
  ofProvider: (providerId: string) => partition(index('gsi1'), `XAPI#${providerId}`, 'STORED#'),
};

export async function putLrsClient(client: LrsClient): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: itemOf(lrsClient.entity, [lrsClient.key(client.key)], client),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getLrsClient(key: string): Promise<LrsClient | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: lrsClient.key(key), ConsistentRead: true }));
  return Item ? recordOf<LrsClient>(lrsClient.entity, Item) : undefined;
}

/** Registers the activity for the course unless it is registered already; returns the registration that holds. */
export async function putActivity(record: RegisteredActivity, activityDigest: string): Promise<{ created: boolean; stored: RegisteredActivity }> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(activity.entity, [activity.key(record.providerId, activityDigest)], record),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, stored: record };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { created: false, stored: (await getActivity(record.providerId, activityDigest)) ?? record };
  }
}

export async function getActivity(providerId: string, activityDigest: string): Promise<RegisteredActivity | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: activity.key(providerId, activityDigest), ConsistentRead: true }));
  return Item ? recordOf<RegisteredActivity>(activity.entity, Item) : undefined;
}

/** Stores the statement unless its id is taken; returns the one stored under the id. */
export async function putStatement(record: StoredStatement): Promise<{ created: boolean; stored: StoredStatement }> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(
          statement.entity,
          [statement.key(record.providerId, record.statementId), statement.byStored(record.providerId, record.stored, record.statementId)],
          record,
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, stored: record };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { created: false, stored: (await getStatement(record.providerId, record.statementId)) ?? record };
  }
}

export async function getStatement(providerId: string, statementId: string): Promise<StoredStatement | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: statement.key(providerId, statementId), ConsistentRead: true }));
  return Item ? recordOf<StoredStatement>(statement.entity, Item) : undefined;
}

/** Which of these statement ids the provider has stored: one consistent read each (a batch is at most 50). */
export async function getStatements(providerId: string, statementIds: readonly string[]): Promise<Map<string, StoredStatement>> {
  const found = await Promise.all(statementIds.map((id) => getStatement(providerId, id)));
  return new Map(found.filter((s): s is StoredStatement => s !== undefined).map((s) => [s.statementId, s]));
}

export async function listStatements(providerId: string, limit: number): Promise<Page<StoredStatement>> {
  return queryPage<StoredStatement>({
    partition: statement.ofProvider(providerId),
    entity: (item) => recordOf<StoredStatement>(statement.entity, item),
    cursor: undefined,
    limit,
  });
}

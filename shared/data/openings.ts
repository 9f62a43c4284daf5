import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttainmentLevel } from '../catalog/model';
import { conflict } from '../errors';
import { db, table } from './client';
import { keys } from './keys';
import type { WorkStyle } from './learners';
import type { OrganisationKind } from './organisations';
import { queryAll, queryPage, type Page, type PageRequest } from './query';
import { recordOf } from './records';

export type OpeningStatus = 'draft' | 'open' | 'closed' | 'filled';

export interface Requirement {
  skill: string;
  level: AttainmentLevel;
}

export interface Pay {
  currency: 'JPY';
  unit: 'hour' | 'month' | 'year';
  min: number;
  max: number;
}

/** An opening as stored (without its keys). */
export interface Opening {
  openingId: string;
  /** The organisation id (its accounts' `org` claim) that owns the opening. */
  ownerOrg: string;
  /** Denormalized for views; the name as it was when the opening was posted. */
  organisation: { id: string; kind: OrganisationKind; name: string };
  title: string;
  description: string;
  catalogVersion: string;
  roles: string[];
  required: Requirement[];
  niceToHave: Requirement[];
  workStyle: WorkStyle;
  workplace: { municipality: string; prefecture: string };
  headcount: number;
  period: { start: string; end?: string };
  /** Last day (Japan date) to apply. */
  deadline: string;
  pay?: Pay;
  status: OpeningStatus;
  createdAt: string;
  updatedAt: string;
  /** 1 when created, +1 on every change: every change is conditional on the version read. */
  version: number;
}

// `placements` (the proposal ids holding seats, shared/data/matching.ts) is bookkeeping, not part of the opening.
const strip = (item: Record<string, unknown>) => recordOf<Opening>(item, ['placements']);

/** The index keys follow the record: gsi1 by (workplace prefecture, status), gsi2 by owner. */
const indexKeys = (opening: Opening) => ({
  ...keys.openingByPrefectureStatus(opening.workplace.prefecture, opening.status, opening.createdAt, opening.openingId),
  ...keys.openingByOrganisation(opening.ownerOrg, opening.createdAt, opening.openingId),
});

/** Stores a new opening; false if the id is taken. */
export async function putNewOpening(opening: Opening): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.opening(opening.openingId), ...indexKeys(opening), ...opening },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function getOpening(openingId: string): Promise<Opening | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.opening(openingId), ConsistentRead: true }));
  return Item ? strip(Item) : undefined;
}

/** Fields that never change after creation. */
const fixed = new Set<keyof Opening>(['openingId', 'ownerOrg', 'createdAt']);

/**
 * Writes `next` over `current` in one UpdateItem, conditional on the stored version still
 * being `current.version`: of two writers that read the same version, one wins and the
 * other gets undefined. Only changed attributes are written; the gsi1 key (prefecture and
 * status) is rewritten in the same request, so the index never disagrees with the record.
 */
export async function updateOpening(current: Opening, next: Opening): Promise<Opening | undefined> {
  if (next.openingId !== current.openingId || next.version !== current.version + 1) {
    throw new RangeError(`updateOpening: ${next.openingId} v${next.version} does not follow ${current.openingId} v${current.version}`);
  }
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': current.version };
  const set: string[] = [];
  const remove: string[] = [];
  let n = 0;
  const fields = new Set([...Object.keys(current), ...Object.keys(next)] as (keyof Opening)[]);
  for (const field of fields) {
    if (fixed.has(field)) continue;
    const before = current[field];
    const after = next[field];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const name = `#f${n}`;
    names[name] = field;
    if (after === undefined) {
      remove.push(name);
    } else {
      values[`:f${n}`] = after;
      set.push(`${name} = :f${n}`);
    }
    n++;
  }
  const gsi1 = keys.openingByPrefectureStatus(next.workplace.prefecture, next.status, next.createdAt, next.openingId);
  names['#gsi1pk'] = 'gsi1pk';
  names['#gsi1sk'] = 'gsi1sk';
  values[':gsi1pk'] = gsi1.gsi1pk;
  values[':gsi1sk'] = gsi1.gsi1sk;
  set.push('#gsi1pk = :gsi1pk', '#gsi1sk = :gsi1sk');
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.opening(current.openingId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip(Attributes!);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * Marks an open opening filled (its seats are taken). Conditional on the version read, so
 * a concurrent close or deadline change is never overwritten; retried on such a race. A
 * no-op when the opening does not exist or is not open.
 */
export async function markOpeningFilled(openingId: string, now: Date = new Date()): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await getOpening(openingId);
    if (current?.status !== 'open') return;
    const next: Opening = { ...current, status: 'filled', updatedAt: now.toISOString(), version: current.version + 1 };
    if (await updateOpening(current, next)) return;
  }
  throw conflict(`Opening ${openingId} keeps changing; retry marking it filled.`);
}

/** One page of a prefecture's openings in one status, oldest first (gsi1). */
export async function listOpeningsOfPrefecture<T = Opening>(prefecture: string, status: OpeningStatus, request: PageRequest<Opening, T>): Promise<Page<T>> {
  const { gsi1pk } = keys.openingsInPrefecture(prefecture, status);
  return queryPage({ index: 'gsi1', partitionKey: 'gsi1pk', partitionValue: gsi1pk, entity: strip, ...request });
}

/** Every open opening of a prefecture (the input of a matching round). */
export async function allOpenOpeningsOfPrefecture(prefecture: string): Promise<Opening[]> {
  const { gsi1pk } = keys.openingsInPrefecture(prefecture, 'open');
  const items = await queryAll<Record<string, unknown>>({ index: 'gsi1', partitionKey: 'gsi1pk', partitionValue: gsi1pk });
  return items.map(strip);
}

/** One page of an organisation's openings in any status, oldest first (gsi2). */
export async function listOpeningsOfOrganisation<T = Opening>(orgId: string, request: PageRequest<Opening, T>): Promise<Page<T>> {
  const { gsi2pk } = keys.openingsOfOrganisation(orgId);
  return queryPage({ index: 'gsi2', partitionKey: 'gsi2pk', partitionValue: gsi2pk, entity: strip, ...request });
}

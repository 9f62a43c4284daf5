import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../errors';
import { PREFECTURE_CODES, type PrefectureCode } from '../ids';
import { db, table } from './client';
import { badCursor } from './cursor';
import { index, isConditionFailure, itemOf, keyOn, partition, primary, recordOf } from './entity';
import { batchGet, queryAll, queryPage, type Page, type PageRequest } from './query';
import type { OpeningStatus, OpeningView } from '../schemas/openings';

export type { OpeningStatus, Pay, Requirement } from '../schemas/openings';

/** An opening as stored (without its keys): the API view (schemas/openings.ts) plus two members it hides. */
export type Opening = OpeningView & {
  /** The organisation id (its accounts' `org` claim) that owns the opening. */
  ownerOrg: string;
  /** 1 when created, +1 on every change: every change is conditional on the version read. */
  version: number;
};

/**
 * An opening: its own item (which also holds its seats, shared/data/matching.ts); on
 * gsi1, in its workplace prefecture's partition for its status, oldest first; on gsi2,
 * in its owner's partition, oldest first. The index keys follow the record.
 *
 * Indexes answer eventually, so what must see the latest state (a round's openings)
 * reads a pointer partition on the table instead: a pointer per open opening of a
 * prefecture, put before the opening becomes open and deleted after it stops being open.
 * A pointer alone means nothing (a crash, a lost race): readers keep only openings whose
 * own item, read consistently, is open there; an open opening always has its pointer.
 */
const opening = {
  entity: 'opening',
  key: (openingId: string) => ({ pk: `OPENING#${openingId}`, sk: 'OPENING' }),
  /** gsi1: a prefecture's openings in one status (rewritten whenever the status changes). */
  byPrefectureStatus: (o: Opening) => keyOn(index('gsi1'), `OPENINGS#${o.workplace.prefecture}#${o.status}`, `${o.createdAt}#${o.openingId}`),
  inPrefecture: (prefecture: string, status: OpeningStatus) => partition(index('gsi1'), `OPENINGS#${prefecture}#${status}`),
  /** gsi2: an organisation's openings. */
  byOrganisation: (o: Opening) => keyOn(index('gsi2'), `ORG#${o.ownerOrg}#OPENINGS`, `${o.createdAt}#${o.openingId}`),
  ofOrganisation: (orgId: string) => partition(index('gsi2'), `ORG#${orgId}#OPENINGS`),
  /** Table: the open openings of a prefecture, read consistently (pointers: the opening id and the version that opened it). */
  open: {
    entity: 'open-opening',
    key: (prefecture: string, openingId: string) => ({ pk: `OPEN-OPENINGS#${prefecture}`, sk: openingId }),
    ofPrefecture: (prefecture: string) => partition(primary, `OPEN-OPENINGS#${prefecture}`),
  },
};

/** The opening's item key, for the seat claims on it (shared/data/matching.ts). */
export const openingKey = opening.key;

// `placements` (the proposal ids holding seats, shared/data/matching.ts) is bookkeeping, not part of the opening.
const strip = (item: Record<string, unknown>) => recordOf<Opening>(opening.entity, item, ['placements']);

// Only ever a newer version's pointer replaces or removes an older one's.
async function putOpenPointer(o: Opening): Promise<void> {
  await db
    .send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(opening.open.entity, [opening.open.key(o.workplace.prefecture, o.openingId)], { openingId: o.openingId, openedVersion: o.version }),
        ConditionExpression: 'attribute_not_exists(pk) OR openedVersion < :version',
        ExpressionAttributeValues: { ':version': o.version },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

async function deleteOpenPointer(o: Opening, closedVersion: number): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table(),
        Key: opening.open.key(o.workplace.prefecture, o.openingId),
        ConditionExpression: 'openedVersion < :version',
        ExpressionAttributeValues: { ':version': closedVersion },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

const isOpenIn = (o: Opening, prefecture: string) => o.status === 'open' && o.workplace.prefecture === prefecture;

/** Stores a new opening; false if the id is taken. */
export async function putNewOpening(o: Opening): Promise<boolean> {
  if (o.status === 'open') await putOpenPointer(o);
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(opening.entity, [opening.key(o.openingId), opening.byPrefectureStatus(o), opening.byOrganisation(o)], o),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getOpening(openingId: string): Promise<Opening | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: opening.key(openingId), ConsistentRead: true }));
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
  const wasOpen = current.status === 'open';
  if (next.status === 'open' && !isOpenIn(current, next.workplace.prefecture)) await putOpenPointer(next);
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
  Object.entries(opening.byPrefectureStatus(next)).forEach(([attribute, value], i) => {
    names[`#index${i}`] = attribute;
    values[`:index${i}`] = value;
    set.push(`#index${i} = :index${i}`);
  });
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: opening.key(current.openingId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (wasOpen && !isOpenIn(next, current.workplace.prefecture)) await deleteOpenPointer(current, next.version);
    return strip(Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
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
  return queryPage({ partition: opening.inPrefecture(prefecture, status), entity: strip, ...request });
}

/** Of these openings, those open in the prefecture now (consistent reads), by id. */
async function openNow(prefecture: string, openingIds: readonly string[]): Promise<Map<string, Opening>> {
  const items = await batchGet<Record<string, unknown>>(
    openingIds.map((id) => opening.key(id)),
    { consistent: true },
  );
  return new Map(
    items
      .map(strip)
      .filter((o) => isOpenIn(o, prefecture))
      .map((o) => [o.openingId, o]),
  );
}

const pointedAt = (item: Record<string, unknown>) => recordOf<{ openingId: string }>(opening.open.entity, item).openingId;

/**
 * Every open opening of a prefecture as it is now, oldest first (the input of a matching
 * round): from the table, never from gsi1, which may still list one closed a moment ago
 * and miss one opened a moment ago.
 */
export async function allOpenOpeningsOfPrefecture(prefecture: string): Promise<Opening[]> {
  const pointers = await queryAll<Record<string, unknown>>({ partition: opening.open.ofPrefecture(prefecture), consistent: true });
  const open = await openNow(prefecture, pointers.map(pointedAt));
  const order = (o: Opening) => `${o.createdAt}#${o.openingId}`;
  return [...open.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Whether a prefecture has an open opening now (consistent; stops at the first one found). */
export async function hasOpenOpening(prefecture: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await queryPage<string>({
      partition: opening.open.ofPrefecture(prefecture),
      consistent: true,
      cursor,
      limit: 1,
      entity: pointedAt,
      select: async (ids) => {
        const open = await openNow(prefecture, ids);
        return ids.map((id) => (open.has(id) ? id : undefined));
      },
    });
    if (page.items.length > 0) return true;
    cursor = page.cursor;
  } while (cursor);
  return false;
}

/**
 * One page of the open openings of the whole country: prefecture by prefecture in code
 * order (gsi1), oldest first in each. The cursor is the prefecture and the position in
 * it. A page that ends with a prefecture looks on for one more visible opening, so the
 * last page carries no cursor.
 */
export async function listOpenOpeningsNationally<T = Opening>(request: PageRequest<Opening, T>): Promise<Page<T>> {
  const at = request.cursor === undefined ? undefined : /^(\d{2}):(.*)$/.exec(request.cursor);
  const start = at ? PREFECTURE_CODES.indexOf(at[1] as PrefectureCode) : 0;
  if (start < 0 || at === null) throw badCursor();
  const items: T[] = [];
  for (let i = start; i < PREFECTURE_CODES.length; i++) {
    const prefecture = PREFECTURE_CODES[i]!;
    const from = i === start && at?.[2] ? at[2] : undefined;
    const full = items.length >= request.limit;
    const page = await listOpeningsOfPrefecture(prefecture, 'open', { cursor: from, limit: full ? 1 : request.limit - items.length, select: request.select });
    if (full) {
      // Only a look ahead: the next page starts where this read started.
      if (page.items.length > 0) return { items, cursor: `${prefecture}:${from ?? ''}` };
      if (page.cursor) return { items, cursor: `${prefecture}:${page.cursor}` };
      continue;
    }
    items.push(...page.items);
    if (page.cursor) return { items, cursor: `${prefecture}:${page.cursor}` };
  }
  return { items, cursor: undefined };
}

/** One page of an organisation's openings in any status, oldest first (gsi2). */
export async function listOpeningsOfOrganisation<T = Opening>(orgId: string, request: PageRequest<Opening, T>): Promise<Page<T>> {
  return queryPage({ partition: opening.ofOrganisation(orgId), entity: strip, ...request });
}

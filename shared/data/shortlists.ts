import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { entityOf, isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { batchGet, queryAll } from './query';

/**
 * The fit of the last candidate a shortlist keeps in one evidence mode: everyone left out
 * fits worse (compared as shared/matching/score.ts `compareFits` does).
 */
export interface ShortlistBound {
  score: number;
  requiredMet: number;
  readiness: number;
  tieBreak: string;
}

/** What is known of a shortlist without its rows: enough to tell whether it is due for a refresh. */
export interface ShortlistHead {
  openingId: string;
  /** Names this computation; its rows item carries the same. */
  generation: string;
  /** What the ranking depended on (shared/domain/ranking.ts `needsKeyOf`): a shortlist for other needs is not used. */
  needsKey: string;
  /** Pool entries written at or after this time are merged at read time; earlier ones are in the rows. */
  since: string;
  computedAt: string;
  /** How many candidates per evidence mode it keeps (at most). */
  size: number;
  /** Per evidence mode; absent when the rows hold every candidate who was scored. */
  bounds: { verified?: ShortlistBound; selfReported?: ShortlistBound };
  /** Entries of the pools with no standing for the opening's catalog version when computed. */
  pending: number;
}

/** A shortlist with its rows (shaped by shared/domain/ranking.ts) and, when few, who was pending. */
export interface Shortlist<Row = unknown> extends ShortlistHead {
  rows: Row[];
  pendingLearnerIds?: string[];
}

/**
 * An opening's shortlist: a small head item, read by the refresh job for every open
 * opening, and the rows in an item of their own per generation, read by a ranking request
 * together with the head in one query. The head is written after its rows, and rows of an
 * older generation are deleted after the head moved on, so a reader always finds the rows
 * its head names (or, in a race with a refresh, a head naming rows not yet visible: read
 * as no shortlist). Both expire a few days after they were computed: the job refreshes
 * the shortlists of open openings daily, and closed openings' go away by themselves.
 */
const shortlist = {
  head: { entity: 'shortlist-head', key: (openingId: string) => ({ pk: `SHORTLIST#${openingId}`, sk: 'HEAD' }) },
  rows: { entity: 'shortlist-rows', key: (openingId: string, generation: string) => ({ pk: `SHORTLIST#${openingId}`, sk: `ROWS#${generation}` }) },
  all: (openingId: string) => partition(primary, `SHORTLIST#${openingId}`),
};

const KEPT_FOR_SECONDS = 3 * 24 * 3600;

interface StoredRows {
  generation: string;
  /** JSON: one string attribute is the most compact way DynamoDB stores a few hundred small tuples. */
  rows: string;
  pendingLearnerIds?: string[];
}

/** The opening's shortlist, or undefined when there is none (or its rows are not readable yet). */
export async function getShortlist<Row>(openingId: string): Promise<Shortlist<Row> | undefined> {
  const items = await queryAll<Record<string, unknown>>({ partition: shortlist.all(openingId) });
  const headItem = items.find((item) => entityOf(item) === shortlist.head.entity);
  if (!headItem) return undefined;
  const head = recordOf<ShortlistHead>(shortlist.head.entity, headItem, ['expiresAt']);
  const rowsItem = items.find((item) => entityOf(item) === shortlist.rows.entity && item.generation === head.generation);
  if (!rowsItem) return undefined;
  const stored = recordOf<StoredRows>(shortlist.rows.entity, rowsItem, ['expiresAt']);
  return {
    ...head,
    rows: JSON.parse(stored.rows) as Row[],
    ...(stored.pendingLearnerIds ? { pendingLearnerIds: stored.pendingLearnerIds } : {}),
  };
}

/** The heads of these openings' shortlists (those that have one). */
export async function getShortlistHeads(openingIds: readonly string[]): Promise<Map<string, ShortlistHead>> {
  const items = await batchGet<Record<string, unknown>>(openingIds.map((id) => shortlist.head.key(id)));
  const heads = items.map((item) => recordOf<ShortlistHead>(shortlist.head.entity, item, ['expiresAt']));
  return new Map(heads.map((head) => [head.openingId, head]));
}

/**
 * Stores a shortlist: its rows, then its head (unless a later computation's head is
 * there already), then deletes the rows the previous head named.
 */
export async function putShortlist<Row>(list: Shortlist<Row>): Promise<void> {
  const { rows, pendingLearnerIds, ...head } = list;
  const expiresAt = Math.floor(Date.parse(head.computedAt) / 1000) + KEPT_FOR_SECONDS;
  const stored: StoredRows = { generation: head.generation, rows: JSON.stringify(rows), ...(pendingLearnerIds ? { pendingLearnerIds } : {}) };
  const rowsKey = shortlist.rows.key(head.openingId, head.generation);
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(shortlist.rows.entity, [rowsKey], { ...stored, expiresAt }) }));
  // Rows no head names any more: the previous generation's, or these if a later computation won.
  let orphan: string | undefined;
  try {
    const { Attributes } = await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(shortlist.head.entity, [shortlist.head.key(head.openingId)], { ...head, expiresAt }),
        ConditionExpression: 'attribute_not_exists(pk) OR computedAt <= :computedAt',
        ExpressionAttributeValues: { ':computedAt': head.computedAt },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const previous = Attributes?.generation as string | undefined;
    orphan = previous === head.generation ? undefined : previous;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    orphan = head.generation;
  }
  if (orphan !== undefined) await db.send(new DeleteCommand({ TableName: table(), Key: shortlist.rows.key(head.openingId, orphan) }));
}

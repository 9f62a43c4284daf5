import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { queryAll } from './query';
import { shardLabel } from './shards';

/**
 * Rebuilds of every learner's derived state (shared/domain/rebuild.ts): a pointer to the
 * current one, and per rebuild a state item and one item per learner segment holding how
 * far that segment got. Every change is a single-item conditional write, so two workers on
 * the same segment never count a page twice.
 */
export interface Rebuild {
  rebuildId: string;
  generation: number;
  /** What the derivation depends on (catalog versions, current version, counting rules), hashed. */
  fingerprint: string;
  reason: string;
  segments: number;
  status: 'running' | 'done' | 'superseded';
  createdAt: string;
  finishedAt?: string;
}

export interface RebuildSegment {
  segment: number;
  /** Where the next page of the segment's learners starts; absent before the first page. */
  cursor?: string;
  learnersDone: number;
  errors: number;
  lastError?: string;
  done: boolean;
}

const rebuild = {
  current: { entity: 'rebuild-current', key: () => ({ pk: 'REBUILD', sk: 'CURRENT' }) },
  state: { entity: 'rebuild', key: (rebuildId: string) => ({ pk: `REBUILD#${rebuildId}`, sk: 'STATE' }) },
  segment: { entity: 'rebuild-segment', key: (rebuildId: string, segment: number) => ({ pk: `REBUILD#${rebuildId}`, sk: `SEGMENT#${shardLabel(segment)}` }) },
  segments: (rebuildId: string) => partition(primary, `REBUILD#${rebuildId}`, 'SEGMENT#'),
};

const ignoreConditionFailure = (error: unknown) => {
  if (!isConditionFailure(error)) throw error;
};

export async function getCurrentRebuild(): Promise<Pick<Rebuild, 'rebuildId' | 'generation' | 'fingerprint'> | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: rebuild.current.key(), ConsistentRead: true }));
  return Item ? recordOf(rebuild.current.entity, Item) : undefined;
}

/** Points "current" at a new rebuild, unless another start moved it first (then false). */
export async function moveCurrentRebuild(next: Rebuild, previousId: string | undefined): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(rebuild.current.entity, [rebuild.current.key()], {
          rebuildId: next.rebuildId,
          generation: next.generation,
          fingerprint: next.fingerprint,
        }),
        ConditionExpression: previousId ? 'rebuildId = :previous' : 'attribute_not_exists(pk)',
        ...(previousId ? { ExpressionAttributeValues: { ':previous': previousId } } : {}),
      }),
    );
    return true;
  } catch (error) {
    ignoreConditionFailure(error);
    return false;
  }
}

/** The rebuild's state and its segments, each created once (a retried start writes nothing new). */
export async function createRebuild(state: Rebuild): Promise<void> {
  const put = (item: Record<string, unknown>) =>
    db.send(new PutCommand({ TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' })).catch(ignoreConditionFailure);
  await put(itemOf(rebuild.state.entity, [rebuild.state.key(state.rebuildId)], state));
  for (let segment = 0; segment < state.segments; segment++) {
    const initial: RebuildSegment = { segment, learnersDone: 0, errors: 0, done: false };
    await put(itemOf(rebuild.segment.entity, [rebuild.segment.key(state.rebuildId, segment)], initial));
  }
}

export async function getRebuild(rebuildId: string): Promise<Rebuild | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: rebuild.state.key(rebuildId), ConsistentRead: true }));
  return Item ? recordOf<Rebuild>(rebuild.state.entity, Item) : undefined;
}

export async function rebuildSegments(rebuildId: string): Promise<RebuildSegment[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: rebuild.segments(rebuildId), consistent: true });
  return items.map((item) => recordOf<RebuildSegment>(rebuild.segment.entity, item));
}

export async function getRebuildSegment(rebuildId: string, segment: number): Promise<RebuildSegment | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: rebuild.segment.key(rebuildId, segment), ConsistentRead: true }));
  return Item ? recordOf<RebuildSegment>(rebuild.segment.entity, Item) : undefined;
}

/**
 * Records one page of a segment as done: moves the cursor from `from` to `to` (absent:
 * the segment is finished) and adds the page's counts. Only the worker that read the page
 * at `from` can move it, so a page is counted once however many workers ran it.
 */
export async function advanceRebuildSegment(
  rebuildId: string,
  segment: number,
  from: string | undefined,
  to: string | undefined,
  page: { learners: number; errors: number; lastError?: string },
): Promise<boolean> {
  const set = ['learnersDone = learnersDone + :learners', 'errors = errors + :errors', 'done = :done'];
  const values: Record<string, unknown> = { ':learners': page.learners, ':errors': page.errors, ':done': to === undefined, ':false': false };
  if (to !== undefined) {
    set.push('#cursor = :to');
    values[':to'] = to;
  }
  if (page.lastError) {
    set.push('lastError = :lastError');
    values[':lastError'] = page.lastError;
  }
  if (from !== undefined) values[':from'] = from;
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: rebuild.segment.key(rebuildId, segment),
        UpdateExpression: `SET ${set.join(', ')}${to === undefined ? ' REMOVE #cursor' : ''}`,
        ConditionExpression: `done = :false AND ${from === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :from'}`,
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    ignoreConditionFailure(error);
    return false;
  }
}

/** Ends a rebuild once (done, or superseded by a later one). */
export async function finishRebuild(rebuildId: string, status: 'done' | 'superseded', at: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: rebuild.state.key(rebuildId),
        UpdateExpression: 'SET #status = :status, finishedAt = :at',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':at': at, ':running': 'running' },
      }),
    )
    .catch(ignoreConditionFailure);
}

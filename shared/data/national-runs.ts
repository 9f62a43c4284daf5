import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NationalPlan, PrefectureOutcome } from '../workflows/national-round';
import { db, table } from './client';
import { itemOf, recordOf } from './entity';

/** A national matching round once completed: its plan, the run of each prefecture and the totals. */
export interface NationalRun extends NationalPlan {
  completedAt: string;
  runs: PrefectureOutcome[];
  /**
   * `withdrawnDuplicates`: proposals withdrawn because their person was matched in another
   * prefecture too (one seat per person nationally); `stable` is false when there were any.
   */
  totals: { prefectures: number; matched: number; seats: number; stable: boolean; withdrawnDuplicates?: number };
}

/** A national round's summary: one item, by its id, written when the round completes. */
const nationalRun = {
  entity: 'national-run',
  key: (nationalRunId: string) => ({ pk: `NATIONALRUN#${nationalRunId}`, sk: 'RUN' }),
};

export async function putNationalRun(run: NationalRun): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(nationalRun.entity, [nationalRun.key(run.nationalRunId)], run) }));
}

export async function getNationalRun(nationalRunId: string): Promise<NationalRun | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: nationalRun.key(nationalRunId) }));
  return Item ? recordOf<NationalRun>(nationalRun.entity, Item) : undefined;
}

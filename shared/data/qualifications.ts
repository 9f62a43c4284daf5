import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { pendingHoldMs, pendingMark, type SourceEntity } from './aggregation';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { learnerPartition } from './learners';
import { queryAll } from './query';

/** The first time a learner met a counting rule: written once, never changed. */
export interface Qualification {
  learnerId: string;
  ruleVersion: string;
  qualifiedOn: string;
  fiscalYear: number;
  /** Residence prefecture when the qualification was recorded ("00" if unknown). */
  prefecture: string;
  clause: string;
  roles: string[];
  types: string[];
  catalogVersion?: string;
  evidence: string[];
  recordedAt: string;
  version: number;
}

/**
 * A qualification: in its learner's partition, one per rule version; marked pending until
 * counted. No index by rule version: one partition per rule would take a write from every
 * learner who qualifies (the recount scans the records instead).
 */
const qualification = {
  entity: 'qualification' satisfies SourceEntity,
  key: (learnerId: string, ruleVersion: string) => ({ pk: learnerPartition(learnerId), sk: `QUALIFICATION#${ruleVersion}` }),
  /** A learner's qualifications, by rule version. */
  ofLearner: (learnerId: string) => partition(primary, learnerPartition(learnerId), 'QUALIFICATION#'),
  pendingId: (learnerId: string, ruleVersion: string) => `${learnerId}#Q#${ruleVersion}`,
};

export const toQualification = (item: Record<string, unknown>) => recordOf<Qualification>(qualification.entity, item);

/** No record waits on a qualification's mark (only completions share marks): it is due as soon as it is written. */
const dueAtOnce = (recordedAt: string) => new Date(Date.parse(recordedAt) - pendingHoldMs()).toISOString();

/** Records the qualification unless one exists for (learner, rule version): it never moves. */
export async function recordQualificationOnce(q: Qualification): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(
          qualification.entity,
          [
            qualification.key(q.learnerId, q.ruleVersion),
            pendingMark(dueAtOnce(q.recordedAt), qualification.pendingId(q.learnerId, q.ruleVersion), q.learnerId),
          ],
          q,
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A learner's qualifications as stored (with the aggregation's bookkeeping), strongly consistent. */
export const qualificationItemsOfLearner = (learnerId: string) =>
  queryAll<Record<string, unknown>>({ partition: qualification.ofLearner(learnerId), consistent: true });

export async function qualificationsOfLearner(learnerId: string): Promise<Qualification[]> {
  return (await qualificationItemsOfLearner(learnerId)).map(toQualification);
}

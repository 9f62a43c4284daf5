import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { keys, pendingMark } from './keys';
import { queryAll } from './query';
import { recordOf } from './records';

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

export const toQualification = (item: Record<string, unknown>) => recordOf<Qualification>(item);

/** Records the qualification unless one exists for (learner, rule version): it never moves. */
export async function recordQualificationOnce(qualification: Qualification): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.qualification(qualification.learnerId, qualification.ruleVersion),
          ...keys.qualificationByRule(qualification.ruleVersion, qualification.qualifiedOn, qualification.learnerId),
          ...pendingMark(qualification.recordedAt, `${qualification.learnerId}#Q#${qualification.ruleVersion}`),
          ...qualification,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function qualificationsOfLearner(learnerId: string): Promise<Qualification[]> {
  const { pk, skPrefix } = keys.qualificationsOfLearner(learnerId);
  const items = await queryAll<Record<string, unknown>>({ partitionKey: 'pk', partitionValue: pk, sortKeyPrefix: skPrefix, consistent: true });
  return items.map(toQualification);
}

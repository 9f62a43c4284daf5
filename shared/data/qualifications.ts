import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { pendingMark, type SourceEntity } from './aggregation';
import { index, isConditionFailure, itemOf, keyOn, partition, primary, recordOf } from './entity';
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
 * A qualification: in its learner's partition, one per rule version; on gsi1, every
 * qualification under a rule version (the recount reads these); marked pending until counted.
 */
const qualification = {
  entity: 'qualification' satisfies SourceEntity,
  key: (learnerId: string, ruleVersion: string) => ({ pk: learnerPartition(learnerId), sk: `QUALIFICATION#${ruleVersion}` }),
  /** A learner's qualifications, by rule version. */
  ofLearner: (learnerId: string) => partition(primary, learnerPartition(learnerId), 'QUALIFICATION#'),
  /** gsi1: the qualifications under a rule version, by date. */
  byRule: (ruleVersion: string, qualifiedOn: string, learnerId: string) => keyOn(index('gsi1'), `QUALIFICATIONS#${ruleVersion}`, `${qualifiedOn}#${learnerId}`),
  pendingId: (learnerId: string, ruleVersion: string) => `${learnerId}#Q#${ruleVersion}`,
};

export const toQualification = (item: Record<string, unknown>) => recordOf<Qualification>(qualification.entity, item);

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
            qualification.byRule(q.ruleVersion, q.qualifiedOn, q.learnerId),
            pendingMark(q.recordedAt, qualification.pendingId(q.learnerId, q.ruleVersion)),
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

export async function qualificationsOfLearner(learnerId: string): Promise<Qualification[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: qualification.ofLearner(learnerId), consistent: true });
  return items.map(toQualification);
}

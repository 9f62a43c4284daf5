import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { pendingHoldMs, pendingMark, pendingMarkUpdate, type SourceEntity } from './aggregation';
import { index, isConditionFailure, itemOf, keyOn, partition, primary, recordOf } from './entity';
import { learnerPartition } from './learners';
import { queryAll, queryPage, type Page, type PageRequest } from './query';

/**
 * The first day a learner's verified evidence met a counting rule. It moves only earlier,
 * when evidence dated before it arrives (each move a new version, counted again, and
 * listed as a revision).
 */
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
  /** Each move of the day, oldest first. */
  revisions?: QualificationRevision[];
}

/** A move of a qualification's day: what a published fiscal-year figure changed by, and why. */
export interface QualificationRevision {
  revisedAt: string;
  from: { qualifiedOn: string; fiscalYear: number };
  to: { qualifiedOn: string; fiscalYear: number };
  reason: 'earlier-evidence';
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
  /** gsi1: the qualifications of a rule whose day was revised, by when (rare: moves only). */
  revised: (ruleVersion: string, revisedAt: string, learnerId: string) => keyOn(index('gsi1'), `REVISED#${ruleVersion}`, `${revisedAt}#${learnerId}`),
  revisedOf: (ruleVersion: string) => partition(index('gsi1'), `REVISED#${ruleVersion}`),
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

/**
 * Moves a qualification to an earlier day, once per version: the record, its revision and
 * its pending mark change in one write, so the aggregation moves the counts exactly and
 * the revision is listed exactly when it happened. False when the record changed since.
 */
export async function moveQualification(
  current: Qualification,
  to: Pick<Qualification, 'qualifiedOn' | 'fiscalYear' | 'clause' | 'roles' | 'types' | 'evidence' | 'catalogVersion'>,
  now: string,
): Promise<boolean> {
  const revision: QualificationRevision = {
    revisedAt: now,
    from: { qualifiedOn: current.qualifiedOn, fiscalYear: current.fiscalYear },
    to: { qualifiedOn: to.qualifiedOn, fiscalYear: to.fiscalYear },
    reason: 'earlier-evidence',
  };
  const pending = pendingMarkUpdate(dueAtOnce(now), qualification.pendingId(current.learnerId, current.ruleVersion), current.learnerId);
  const listed = qualification.revised(current.ruleVersion, now, current.learnerId);
  const [listedPk, listedSk] = Object.keys(listed) as [string, string];
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: qualification.key(current.learnerId, current.ruleVersion),
        UpdateExpression: `SET ${[
          'qualifiedOn = :on',
          'fiscalYear = :fy',
          'clause = :clause',
          '#roles = :roles',
          '#types = :types',
          'evidence = :evidence',
          '#version = #version + :one',
          'revisions = list_append(if_not_exists(revisions, :none), :revision)',
          '#listedPk = :listedPk',
          '#listedSk = :listedSk',
          ...pending.set,
          ...(to.catalogVersion ? ['catalogVersion = :catalog'] : []),
        ].join(', ')}`,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: {
          '#version': 'version',
          '#roles': 'roles',
          '#types': 'types',
          '#listedPk': listedPk,
          '#listedSk': listedSk,
          ...pending.names,
        },
        ExpressionAttributeValues: {
          ':on': to.qualifiedOn,
          ':fy': to.fiscalYear,
          ':clause': to.clause,
          ':roles': to.roles,
          ':types': to.types,
          ':evidence': to.evidence,
          ':one': 1,
          ':none': [],
          ':revision': [revision],
          ':expected': current.version,
          ':listedPk': listed[listedPk],
          ':listedSk': listed[listedSk],
          ...(to.catalogVersion ? { ':catalog': to.catalogVersion } : {}),
          ...pending.values,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** What the revision log shows of a revised qualification: the move and where it counts, not who. */
export interface RevisionView extends QualificationRevision {
  ruleVersion: string;
  prefecture: string;
}

/** The revisions of a rule's qualifications, oldest first, a page at a time (each qualification's latest move). */
export async function listRevisions(ruleVersion: string, request: PageRequest<Qualification, RevisionView>): Promise<Page<RevisionView>> {
  return queryPage({ partition: qualification.revisedOf(ruleVersion), entity: toQualification, ...request });
}

/** A learner's qualifications as stored (with the aggregation's bookkeeping), strongly consistent. */
export const qualificationItemsOfLearner = (learnerId: string) =>
  queryAll<Record<string, unknown>>({ partition: qualification.ofLearner(learnerId), consistent: true });

export async function qualificationsOfLearner(learnerId: string): Promise<Qualification[]> {
  return (await qualificationItemsOfLearner(learnerId)).map(toQualification);
}

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccreditationPeriod } from '../domain/qualification';
import { db, table } from './client';
import { index, isConditionFailure, itemOf, keyOn, partition, recordOf } from './entity';
import { batchGet, queryPage, type Page, type PageRequest } from './query';

export type RequestStatus = 'pending' | 'approved' | 'rejected';

/** What a provider asked the national office to accredit: the course as it stood then. */
export interface AccreditationRequest {
  requestId: string;
  courseId: string;
  providerId: string;
  scheme: string;
  validFrom: string;
  validTo: string;
  /** The course's mapping when requested: what an approval attests. */
  catalogVersion: string;
  certification: boolean;
  literacyItems: AccreditationPeriod['literacyItems'];
  skills: AccreditationPeriod['skills'];
  status: RequestStatus;
  requestedBy: string;
  requestedAt: string;
  decision?: { decision: 'approve' | 'reject'; reason: string; by: string; at: string };
}

/** A granted period, with who granted it, when, and whether (and why) it was cut short. */
export interface GrantedPeriod extends AccreditationPeriod {
  requestId: string;
  grantedBy: string;
  grantedAt: string;
  suspendedAt?: string;
  suspendedBecause?: string;
}

/** A course's accreditation: every period granted, oldest first; changed only with a version check. */
export interface Accreditation {
  courseId: string;
  providerId: string;
  periods: GrantedPeriod[];
  version: number;
  updatedAt: string;
}

/**
 * Accreditation items: a course's record in the course's partition (read with the course,
 * and in a batch by the derivation), and each request in its own item, on gsi1 by status
 * (admin's queue), oldest first.
 */
const accreditation = {
  entity: 'accreditation',
  key: (courseId: string) => ({ pk: `COURSE#${courseId}`, sk: 'ACCREDITATION' }),
  request: {
    entity: 'accreditation-request',
    key: (requestId: string) => ({ pk: `ACCREQ#${requestId}`, sk: 'REQUEST' }),
    byStatus: (status: RequestStatus, requestedAt: string, requestId: string) => keyOn(index('gsi1'), `ACCREQS#${status}`, `${requestedAt}#${requestId}`),
    ofStatus: (status: RequestStatus) => partition(index('gsi1'), `ACCREQS#${status}`),
  },
  /** Bumped by every change to what derivations read from courses: a rebuild's fingerprint includes it. */
  generation: { entity: 'derivation-generation', key: () => ({ pk: 'DERIVATION', sk: 'COURSES' }) },
};

const toRequest = (item: Record<string, unknown>) => recordOf<AccreditationRequest>(accreditation.request.entity, item);
const toAccreditation = (item: Record<string, unknown>) => recordOf<Accreditation>(accreditation.entity, item);

/** Stores a new request; false if its id exists. */
export async function putAccreditationRequest(request: AccreditationRequest): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(
          accreditation.request.entity,
          [accreditation.request.key(request.requestId), accreditation.request.byStatus(request.status, request.requestedAt, request.requestId)],
          request,
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

export async function getAccreditationRequest(requestId: string): Promise<AccreditationRequest | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: accreditation.request.key(requestId), ConsistentRead: true }));
  return Item ? toRequest(Item) : undefined;
}

export async function listAccreditationRequests<T = AccreditationRequest>(
  status: RequestStatus,
  request: PageRequest<AccreditationRequest, T>,
): Promise<Page<T>> {
  return queryPage({ partition: accreditation.request.ofStatus(status), entity: toRequest, ...request });
}

/**
 * Records admin's decision once: only a pending request moves (the commit point of a
 * decision). Returns the decided request, or undefined if it was decided already.
 */
export async function decideAccreditationRequest(
  request: AccreditationRequest,
  decision: NonNullable<AccreditationRequest['decision']>,
  validity: { validFrom: string; validTo: string },
): Promise<AccreditationRequest | undefined> {
  const status: RequestStatus = decision.decision === 'approve' ? 'approved' : 'rejected';
  const moved = accreditation.request.byStatus(status, request.requestedAt, request.requestId);
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: accreditation.request.key(request.requestId),
        UpdateExpression: 'SET #status = :status, decision = :decision, validFrom = :from, validTo = :to, gsi1pk = :gpk, gsi1sk = :gsk',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':decision': decision,
          ':from': validity.validFrom,
          ':to': validity.validTo,
          ':gpk': moved.gsi1pk,
          ':gsk': moved.gsi1sk,
          ':pending': 'pending',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toRequest(Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export async function getAccreditation(courseId: string): Promise<Accreditation | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: accreditation.key(courseId), ConsistentRead: true }));
  return Item ? toAccreditation(Item) : undefined;
}

/** The accreditations of these courses (those that have one). Read fresh: a grant or suspension must reach the next derivation. */
export async function getAccreditations(courseIds: readonly string[]): Promise<Map<string, Accreditation>> {
  const items = await batchGet<Record<string, unknown>>(
    [...new Set(courseIds)].map((id) => accreditation.key(id)),
    { consistent: true },
  );
  return new Map(items.map((item) => toAccreditation(item)).map((a) => [a.courseId, a]));
}

/**
 * Replaces a course's accreditation with `next` if it is still at `previous`'s version
 * (absent: if none exists). False when another change came first: read again and retry.
 */
export async function writeAccreditation(next: Accreditation, previous: Accreditation | undefined): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(accreditation.entity, [accreditation.key(next.courseId)], next),
        ConditionExpression: previous ? '#version = :version' : 'attribute_not_exists(pk)',
        ...(previous ? { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': previous.version } } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** What derivations read from courses changed (a grant, a course's mapping): the next rebuild's fingerprint differs. */
export async function bumpDerivationGeneration(now: Date): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: accreditation.generation.key(),
      UpdateExpression: 'ADD generation :one SET #entity = :entity, changedAt = :now',
      ExpressionAttributeNames: { '#entity': 'entity' },
      ExpressionAttributeValues: { ':one': 1, ':entity': accreditation.generation.entity, ':now': now.toISOString() },
    }),
  );
}

export async function derivationGeneration(): Promise<number> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: accreditation.generation.key(), ConsistentRead: true }));
  return Item ? recordOf<{ generation: number }>(accreditation.generation.entity, Item).generation : 0;
}

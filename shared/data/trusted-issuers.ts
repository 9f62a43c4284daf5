import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { itemOf, partition, primary, recordOf } from './entity';
import { queryAll } from './query';

/**
 * The registry of issuers whose Open Badges count as evidence (admin keeps it): one item
 * per issuer in one partition (a registry of dozens, read whole by admin, one GetItem
 * per received credential). Issuer ids are URLs or DIDs of any length: the key holds
 * their digest.
 */
export interface TrustedIssuer {
  issuerId: string;
  name: string;
  /** Public keys inline (JWK), or where to fetch them (https only). */
  keys?: Record<string, unknown>[];
  jwksUrl?: string;
  /** Status lists are fetched only under this https prefix. */
  statusListPrefix?: string;
  /** Which of its achievements stand for which course. */
  achievements: { achievementId: string; courseId: string }[];
  updatedAt: string;
  updatedBy: string;
}

const digest = (issuerId: string) => createHash('sha256').update(issuerId).digest('base64url');

const trustedIssuer = {
  entity: 'trusted-issuer',
  key: (issuerId: string) => ({ pk: 'TRUSTEDISSUERS', sk: `ISSUER#${digest(issuerId)}` }),
  all: () => partition(primary, 'TRUSTEDISSUERS', 'ISSUER#'),
};

/** Adds or replaces the issuer's entry; returns whether it was new. */
export async function putTrustedIssuer(entry: TrustedIssuer): Promise<boolean> {
  const { Attributes } = await db.send(
    new PutCommand({ TableName: table(), Item: itemOf(trustedIssuer.entity, [trustedIssuer.key(entry.issuerId)], entry), ReturnValues: 'ALL_OLD' }),
  );
  return Attributes === undefined;
}

export async function getTrustedIssuer(issuerId: string): Promise<TrustedIssuer | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: trustedIssuer.key(issuerId), ConsistentRead: true }));
  return Item ? recordOf<TrustedIssuer>(trustedIssuer.entity, Item) : undefined;
}

export async function listTrustedIssuers(): Promise<TrustedIssuer[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: trustedIssuer.all(), consistent: true });
  return items.map((item) => recordOf<TrustedIssuer>(trustedIssuer.entity, item));
}

import type * as z from 'zod/mini';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { index, itemOf, keyOn, partition, recordOf } from './entity';
import { shardLabel, shardOf } from './shards';
import { batchGet, queryPage, type Page } from './query';
import type { WorkStyle } from '../schemas/fields';
import type { contact, TurnIntent } from '../schemas/learners';

export type { WorkStyle } from '../schemas/fields';

/** Hand-written: the stored profile keeps consent history and timestamps the API view (schemas/learners.ts) does not show. */
export interface LearnerProfile {
  learnerId: string;
  residence: { prefecture: string; municipality: string };
  workPrefectures: string[];
  workStyles: WorkStyle[];
  turn: { intent: TurnIntent; hometownPrefecture?: string };
  /** `placeFree` is absent on profiles stored before it existed; reads fill it in as false. */
  consent: { matching: boolean; placeFree?: boolean; changedAt: string };
  /** Every consent change, for the audit of who agreed to what and when. */
  consentHistory: { matching: boolean; placeFree?: boolean; at: string }[];
  createdAt: string;
  updatedAt: string;
}

/** Personal data, stored in its own item: exactly what the learner sent. */
export type LearnerContact = z.output<typeof contact>;

/** A learner's partition: their profile, published pools, completions and qualifications. */
export const learnerPartition = (learnerId: string) => `LEARNER#${learnerId}`;

/**
 * A learner's own items, one per learner each. Personal data (the contact) lives in a
 * partition of its own: no query of the learner's partition ever returns it by accident.
 */
const learner = {
  profile: { entity: 'learner-profile', key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'PROFILE' }) },
  /** gsi2: every learner with a profile, in LEARNER_SEGMENTS partitions (what a rebuild walks, segment by segment). */
  bySegment: (learnerId: string) => keyOn(index('gsi2'), `LEARNERS#${shardLabel(shardOf(learnerId, LEARNER_SEGMENTS))}`, learnerId),
  ofSegment: (segment: number) => partition(index('gsi2'), `LEARNERS#${shardLabel(segment)}`),
  contact: { entity: 'learner-contact', key: (learnerId: string) => ({ pk: `PERSONAL#${learnerId}`, sk: 'CONTACT' }) },
  /** Derived items of earlier releases (the standing now lives in the pool entries only): erasure still removes them. */
  retired: [
    (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'SKILLS' }),
    (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'DERIVATION' }),
  ],
};

const strip = <T>(of: { entity: string }, item: Record<string, unknown> | undefined) => (item ? recordOf<T>(of.entity, item) : undefined);

// A stored profile without place-free consent never chose it: it reads as off, in every view and export.
function profileOf(item: Record<string, unknown> | undefined): LearnerProfile | undefined {
  const profile = strip<LearnerProfile>(learner.profile, item);
  if (!profile) return undefined;
  return {
    ...profile,
    consent: { ...profile.consent, placeFree: profile.consent.placeFree === true },
    consentHistory: profile.consentHistory.map((entry) => ({ ...entry, placeFree: entry.placeFree === true })),
  };
}

export async function getLearnerProfile(learnerId: string): Promise<LearnerProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: learner.profile.key(learnerId), ConsistentRead: true }));
  return profileOf(Item);
}

export async function getLearnerProfiles(learnerIds: readonly string[]): Promise<LearnerProfile[]> {
  // Consistent: consent is checked on these, and a revocation a moment ago must count.
  const items = await batchGet<Record<string, unknown>>(
    [...new Set(learnerIds)].map((id) => learner.profile.key(id)),
    { consistent: true },
  );
  return items.map((item) => profileOf(item)!);
}

export async function putLearnerProfile(profile: LearnerProfile): Promise<void> {
  const keys = [learner.profile.key(profile.learnerId), learner.bySegment(profile.learnerId)];
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(learner.profile.entity, keys, profile) }));
}

/**
 * How many segments learners are spread over. Fixed: a learner's segment is part of their
 * profile's index key, so changing it means rewriting every profile.
 */
export const LEARNER_SEGMENTS = 16;

/** One page of the ids of learners in a segment (with a profile): for the rebuild only. */
export async function learnersOfSegment(segment: number, cursor: string | undefined, limit: number): Promise<Page<string>> {
  return queryPage({ partition: learner.ofSegment(segment), cursor, limit, entity: (item) => item.learnerId as string });
}

export async function getLearnerContact(learnerId: string): Promise<LearnerContact | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: learner.contact.key(learnerId) }));
  return strip<LearnerContact>(learner.contact, Item);
}

export async function putLearnerContact(learnerId: string, contact: LearnerContact): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(learner.contact.entity, [learner.contact.key(learnerId)], contact) }));
}

/** Erasure (APPI): the profile and the contact details of a learner (and derived items older releases kept). */
export async function deleteLearnerPersonalItems(learnerId: string): Promise<void> {
  for (const key of [learner.contact.key(learnerId), learner.profile.key(learnerId), ...learner.retired.map((keyOf) => keyOf(learnerId))]) {
    await db.send(new DeleteCommand({ TableName: table(), Key: key }));
  }
}

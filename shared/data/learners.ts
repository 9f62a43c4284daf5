import type * as z from 'zod/mini';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SkillSummary } from '../domain/evidence';
import { db, table } from './client';
import { ENTITY_ATTRIBUTE, isConditionFailure, itemOf, recordOf } from './entity';
import { batchGet } from './query';
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

export interface StoredSkills {
  learnerId: string;
  summary: SkillSummary;
  /** The derivation sequence this was computed at: a later write never loses to an earlier one. */
  basisSeq: number;
  computedAt: string;
  completionCount: number;
}

/** A learner's partition: their profile, skills, derivation sequence, published pools, completions and qualifications. */
export const learnerPartition = (learnerId: string) => `LEARNER#${learnerId}`;

/**
 * A learner's own items, one per learner each. Personal data (the contact) lives in a
 * partition of its own: no query of the learner's partition ever returns it by accident.
 */
const learner = {
  profile: { entity: 'learner-profile', key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'PROFILE' }) },
  contact: { entity: 'learner-contact', key: (learnerId: string) => ({ pk: `PERSONAL#${learnerId}`, sk: 'CONTACT' }) },
  skills: { entity: 'learner-skills', key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'SKILLS' }) },
  derivation: { entity: 'learner-derivation', key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'DERIVATION' }) },
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
  const items = await batchGet<Record<string, unknown>>([...new Set(learnerIds)].map((id) => learner.profile.key(id)));
  return items.map((item) => profileOf(item)!);
}

export async function putLearnerProfile(profile: LearnerProfile): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(learner.profile.entity, [learner.profile.key(profile.learnerId)], profile) }));
}

export async function getLearnerContact(learnerId: string): Promise<LearnerContact | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: learner.contact.key(learnerId) }));
  return strip<LearnerContact>(learner.contact, Item);
}

export async function putLearnerContact(learnerId: string, contact: LearnerContact): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(learner.contact.entity, [learner.contact.key(learnerId)], contact) }));
}

export async function getLearnerSkills(learnerId: string): Promise<StoredSkills | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: learner.skills.key(learnerId) }));
  return strip<StoredSkills>(learner.skills, Item);
}

/** Next number in the learner's derivation sequence; taken before reading the completions. */
export async function nextDerivationSeq(learnerId: string): Promise<number> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: learner.derivation.key(learnerId),
      UpdateExpression: 'SET #entity = :entity ADD seq :one',
      ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':entity': learner.derivation.entity },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes!.seq as number;
}

/** Stores derived skills unless a derivation that started later has already stored its own. */
export async function putLearnerSkills(skills: StoredSkills): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(learner.skills.entity, [learner.skills.key(skills.learnerId)], skills),
        ConditionExpression: 'attribute_not_exists(pk) OR basisSeq < :seq',
        ExpressionAttributeValues: { ':seq': skills.basisSeq },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Erasure (APPI): the profile, the contact details and the derived skills of a learner. */
export async function deleteLearnerPersonalItems(learnerId: string): Promise<void> {
  for (const key of [learner.contact.key(learnerId), learner.profile.key(learnerId), learner.skills.key(learnerId)]) {
    await db.send(new DeleteCommand({ TableName: table(), Key: key }));
  }
}
